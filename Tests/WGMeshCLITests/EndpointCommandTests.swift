import Glibc
import Testing
import WGMeshAgent
@testable import WGMeshCLI
import WGMeshCore
import WGMeshResources
import WGMeshTestSupport

/// `wgmesh endpoint add|del`: parsing, help, and refusing bad input before
/// the daemon or the datastore is asked anything.
@Suite struct EndpointCommandTests {
    @Test func addParsesEveryOption() throws {
        let command = try EndpointAddCommand.parse([
            "--name", "pod1", "--netns", "/var/run/netns/pod1", "--namespace", "shop", "--labels", "app=web,tier=front",
            "--node-name", "n1", "--control-socket", "/tmp/d.sock", "--datastore", "sqlite:///tmp/x.db",
        ])
        #expect(command.name == "pod1")
        #expect(command.netns == "/var/run/netns/pod1")
        #expect(command.namespace == "shop")
        #expect(try EndpointLabels.parse(command.labels) == ["app": "web", "tier": "front"])
        #expect(try command.node.resolvedNodeName() == "n1")
        #expect(command.node.resolvedControlSocket() == "/tmp/d.sock")
        #expect(command.datastore.datastore == "sqlite:///tmp/x.db")
    }

    @Test func addDefaultsToTheDefaultNamespaceAndSocket() throws {
        let command = try EndpointAddCommand.parse(["--name", "pod1", "--netns", "/var/run/netns/pod1"])
        #expect(command.namespace == "default")
        #expect(command.labels == nil)
        if environmentText("WGMESH_CONTROL_SOCKET") == nil {
            #expect(command.node.resolvedControlSocket() == AgentConfig.defaultControlSocket)
        }
    }

    @Test(arguments: [
        ["--netns", "/var/run/netns/pod1"],
        ["--name", "pod1"],
        ["--name", "Pod_1", "--netns", "/x"],
        ["--name", "pod1", "--netns", "/x", "--namespace", "Bad Space"],
        ["--name", "pod1", "--netns", "/x", "--labels", "novalue"],
        ["--name", "pod1", "--netns", "/x", "--labels", "a=1,a=2"],
        ["--name", "pod1", "--netns", "/x", "--labels", "bad key=1"],
    ])
    func addRefusesBadInput(arguments: [String]) {
        #expect(throws: (any Error).self) { try EndpointAddCommand.parse(arguments) }
    }

    @Test func delParsesAndHasTheDeleteAlias() throws {
        let command = try EndpointDeleteCommand.parse(["--name", "pod1", "--namespace", "shop"])
        #expect(command.name == "pod1")
        #expect(command.namespace == "shop")
        let parsed = try WGMeshCommand.parseAsRoot(["endpoint", "delete", "--name", "pod1"])
        #expect(parsed is EndpointDeleteCommand)
        #expect(try WGMeshCommand.parseAsRoot(["endpoint", "add", "--name", "p", "--netns", "/x"]) is EndpointAddCommand)
    }

    @Test func helpSaysWhatIsCreated() {
        let help = EndpointAddCommand.helpMessage(columns: 200)
        for phrase in ["WorkloadEndpoint", "veth pair", "ee:ee:ee:ee:ee:ee", "169.254.1.1", "fe80::ecee:eeff:feee:eeee",
                       "proxy ARP", "--netns", "--labels", "--node-name", "--control-socket", "--datastore"] {
            #expect(help.contains(phrase), "help lacks \(phrase)")
        }
        #expect(EndpointDeleteCommand.helpMessage(columns: 200).contains("veth"))
        #expect(WGMeshCommand.helpMessage(columns: 200).contains("endpoint"))
    }

    @Test(arguments: [
        ("", [String: String]()),
        ("a=1", ["a": "1"]),
        ("a=1,b=", ["a": "1", "b": ""]),
        ("k=v=w", ["k": "v=w"]),
    ])
    func labelsParse(text: String, expected: [String: String]) throws {
        #expect(try EndpointLabels.parse(text) == expected)
    }

    @Test func theSummaryLineHasNamespaceAddressesAndLink() throws {
        let endpoint = WorkloadEndpoint(
            metadata: ObjectMeta(name: "pod1", namespace: "default"),
            spec: WorkloadEndpointSpec(node: "n1", ips: [try IPNetwork("10.244.0.1/32"), try IPNetwork("fd00:10:244::1/128")],
                                       interfaceName: "wm0123456789a"))
        #expect(EndpointAddCommand.summary(endpoint)
            == "endpoint default/pod1: 10.244.0.1/32, fd00:10:244::1/128 on wm0123456789a")
    }
}

private func environmentText(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
