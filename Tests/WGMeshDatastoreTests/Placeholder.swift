import Testing

@Test func placeholder_WGMeshDatastoreTests() { #expect(Bool(true)) }
