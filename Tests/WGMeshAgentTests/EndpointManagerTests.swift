import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshDatastore
import WGMeshResources

/// What EndpointManager refuses before it touches the kernel: nothing is
/// recorded and the reason says what to fix. Runs without root.
@Suite struct EndpointManagerTests {
    @Test(arguments: [
        ("Pod_1", "default"),
        ("pod1", "Not A Namespace"),
        ("", "default"),
    ])
    func badNamesAreRefusedAndNothingIsRecorded(name: String, namespace: String) async throws {
        let fixture = try await EndpointFixture()
        let request = EndpointRequest(name: name, namespace: namespace, netnsPath: "/proc/self/ns/net")
        let error = try await #require(throws: AgentError.self) { try await fixture.manager.add(request, info: fixture.info) }
        #expect(error.code == .invalidConfiguration)
        #expect(try await fixture.records().isEmpty)
    }

    @Test func badLabelsAreRefused() async throws {
        let fixture = try await EndpointFixture()
        let request = EndpointRequest(name: "pod1", netnsPath: "/proc/self/ns/net", labels: ["bad key": "x"])
        let error = try await #require(throws: AgentError.self) { try await fixture.manager.add(request, info: fixture.info) }
        #expect(error.reason.contains("bad key"))
        #expect(try await fixture.records().isEmpty)
    }

    @Test(arguments: ["/proc/version", "/nonexistent/netns/pod1"])
    func aPathThatIsNotANetnsIsRefusedNamingIt(path: String) async throws {
        let fixture = try await EndpointFixture()
        let request = EndpointRequest(name: "pod1", netnsPath: path)
        let error = try await #require(throws: AgentError.self) { try await fixture.manager.add(request, info: fixture.info) }
        #expect(error.reason.contains(path))
        #expect(try await fixture.records().isEmpty)
    }

    @Test func anExistingEndpointOfThisNodeIsRefused() async throws {
        let fixture = try await EndpointFixture()
        _ = try await fixture.store.create(WorkloadEndpoint(
            metadata: ObjectMeta(name: "pod1", namespace: "default"),
            spec: WorkloadEndpointSpec(node: "node-a", ips: [try IPNetwork("10.99.0.1/32")], interfaceName: "wmx")))
        let request = EndpointRequest(name: "pod1", netnsPath: "/proc/self/ns/net")
        let error = try await #require(throws: AgentError.self) { try await fixture.manager.add(request, info: fixture.info) }
        #expect(error.reason.contains("already exists"))
        #expect(error.reason.contains("delete it first"))
        #expect(try await fixture.records().count == 1)
    }

    @Test func noBlocksIsExhaustedAndNothingIsRecorded() async throws {
        let fixture = try await EndpointFixture(blocks: [])
        let request = EndpointRequest(name: "pod1", netnsPath: "/proc/self/ns/net")
        let error = try await #require(throws: AgentError.self) { try await fixture.manager.add(request, info: fixture.info) }
        #expect(error.code == .exhausted)
        #expect(try await fixture.records().isEmpty)
    }

    @Test func deletingWhatIsNotThereIsFalse() async throws {
        let fixture = try await EndpointFixture()
        #expect(try await fixture.manager.delete(name: "ghost", namespace: "default", node: "node-a") == false)
    }

    @Test func deleteLeavesAnotherNodesEndpointOfTheSameName() async throws {
        let fixture = try await EndpointFixture()
        // A veth name no host has, so unwiring finds nothing.
        _ = try await fixture.store.create(WorkloadEndpoint(
            metadata: ObjectMeta(name: "pod1", namespace: "default"),
            spec: WorkloadEndpointSpec(node: "node-b", ips: [try IPNetwork("10.99.1.1/32")], interfaceName: "wmt-nothere")))
        _ = try await fixture.store.create(WorkloadEndpoint(
            metadata: ObjectMeta(name: "pod1", namespace: "default"),
            spec: WorkloadEndpointSpec(node: "node-a", ips: [try IPNetwork("10.99.0.1/32")], interfaceName: "wmt-nothere")))
        #expect(try await fixture.manager.delete(name: "pod1", namespace: "default", node: "node-a"))
        #expect(try await fixture.records().map(\.spec.node) == ["node-b"])
    }
}
