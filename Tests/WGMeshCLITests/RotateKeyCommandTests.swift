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
        let datastore = InMemoryDatastore()
        let store = ResourceStore(datastore: datastore, logger: Self.logger)
        let node = Node(metadata: ObjectMeta(name: "n1"),
                        spec: NodeSpec(addresses: [try IPAddress("192.0.2.1")],
                                       wireguard: NodeWireGuard(publicKey: Curve25519.KeyAgreement.PrivateKey().publicKey)))
        try await datastore.put(store.key(for: node), value: ResourceCodec.encodeJSON(node))

        try await RotateKeyCommand.request(node: "n1", store: store)
        let written = try #require(try await datastore.get(RotationRequest.key(node: "n1", in: store)))
        let request = RotationRequest(decoding: written.value)
        #expect(request.requestedAt > 0)
        #expect(request.by.contains("@"))

        let error = await #expect(throws: CommandFailure.self) {
            try await RotateKeyCommand.request(node: "n2", store: store)
        }
        #expect(error?.description.contains("node n2 is not in the datastore") == true)
        #expect(try await datastore.get(RotationRequest.key(node: "n2", in: store)) == nil)
    }
}
