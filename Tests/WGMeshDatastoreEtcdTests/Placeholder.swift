import Testing

@Test func placeholder_WGMeshDatastoreEtcdTests() { #expect(Bool(true)) }
