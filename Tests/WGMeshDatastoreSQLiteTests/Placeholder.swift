import Testing

@Test func placeholder_WGMeshDatastoreSQLiteTests() { #expect(Bool(true)) }
