import Logging
import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshDatastore
import WGMeshKeys
import WGMeshResources
import WGMeshTestSupport
@testable import WGMeshCLI

/// `wgmesh rotate-key`: the line it prints from the daemon's reply, and the
/// datastore request of `--node`.
@Suite struct RotateKeyCommandTests {
    static let logger = Logger(label: "rotate-key-test") { _ in SwiftLogNoOpLogHandler() }

    @Test func theReplyBecomesOneLine() throws {
        let reply = JSONValue.object(DocumentObject([
            ("oldKey", .string("OLD=")), ("newKey", .string("NEW=")), ("publishMilliseconds", .integer(12)),
            ("switchMilliseconds", .integer(4)), ("totalMilliseconds", .integer(30)),
        ]))
        #expect(try RotateKeyCommand.summary(reply) == "rotated: OLD= -> NEW= (published in 12 ms, device switched in 4 ms)")
    }

    @Test func aReplyWithoutKeysIsAVersionProblem() {
        let error = #expect(throws: CommandFailure.self) {
            try RotateKeyCommand.summary(.object(DocumentObject([("ok", .bool(true))])))
        }
        #expect(error?.description.contains("same version") == true)
    }

    @Test func aRequestForAKnownNodeIsWrittenAndAnUnknownNodeIsRefused() async throws {
        let (store, datastore, _) = try await Self.storeWithNode()
        _ = try await RotateKeyCommand.request(node: "n1", store: store)
        let written = try #require(try await datastore.get(RotationRequest.key(node: "n1", in: store)))
        let request = RotationRequest(decoding: written.value)
        #expect(request.requestedAt > 0)
        #expect(request.by.contains("@"))

        let error = await #expect(throws: CommandFailure.self) {
            _ = try await RotateKeyCommand.request(node: "n2", store: store)
        }
        #expect(error?.description.contains("node n2 is not in the datastore") == true)
        #expect(try await datastore.get(RotationRequest.key(node: "n2", in: store)) == nil)
    }

    /// A store with node n1 published under a fresh key; returns both.
    private static func storeWithNode() async throws -> (ResourceStore, InMemoryDatastore, Node) {
        let datastore = InMemoryDatastore()
        let store = ResourceStore(datastore: datastore, logger: Self.logger)
        let node = Node(metadata: ObjectMeta(name: "n1"),
                        spec: NodeSpec(addresses: [try IPAddress("192.0.2.1")],
                                       wireguard: NodeWireGuard(publicKey: Curve25519.KeyAgreement.PrivateKey().publicKey)))
        try await datastore.put(store.key(for: node), value: ResourceCodec.encodeJSON(node))
        return (store, datastore, node)
    }

    @Test func waitZeroReturnsOnceTheRequestIsWritten() async throws {
        let (store, datastore, _) = try await Self.storeWithNode()
        let line = try await RotateKeyCommand.requestAndWait(node: "n1", seconds: 0, store: store)
        #expect(line.hasPrefix("requested a key rotation on node n1"))
        #expect(try await datastore.get(RotationRequest.key(node: "n1", in: store)) != nil)
    }

    @Test func waitingEndsWhenTheNodePublishesANewKey() async throws {
        let (store, datastore, node) = try await Self.storeWithNode()
        let old = try #require(node.spec.wireguard?.publicKey)
        let new = Curve25519.KeyAgreement.PrivateKey().publicKey
        // The node's daemon, played here: publishes its new key a little later.
        let daemon = Task {
            try await Task.sleep(for: .milliseconds(500))
            var rotated = node
            rotated.spec.wireguard?.publicKey = new
            try await datastore.put(store.key(for: rotated), value: ResourceCodec.encodeJSON(rotated))
        }
        let line = try await RotateKeyCommand.requestAndWait(node: "n1", seconds: 60, store: store)
        try await daemon.value
        #expect(line.hasPrefix("rotated node n1: \(old) -> \(new) (published "), "\(line)")
    }

    @Test func aNodeThatNeverRotatesFailsAfterTheWaitAndKeepsTheRequest() async throws {
        let (store, datastore, _) = try await Self.storeWithNode()
        let error = await #expect(throws: CommandFailure.self) {
            _ = try await RotateKeyCommand.requestAndWait(node: "n1", seconds: 1, store: store)
        }
        #expect(error?.description.contains("has not published a new key within 1 s") == true)
        #expect(try await datastore.get(RotationRequest.key(node: "n1", in: store)) != nil)
    }

    @Test func waitNeedsNodeAndARange() throws {
        #expect(throws: (any Error).self) { try RotateKeyCommand.parse(["--wait", "5"]) }
        #expect(throws: (any Error).self) { try RotateKeyCommand.parse(["--node", "n1", "--wait", "-1"]) }
        #expect(throws: (any Error).self) { try RotateKeyCommand.parse(["--node", "n1", "--wait", "4000"]) }
        let command = try RotateKeyCommand.parse(["--node", "n1", "--wait", "0"])
        #expect(command.wait == 0)
    }
}
