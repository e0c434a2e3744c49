import Testing

@Test func placeholder_WGMeshResourcesTests() { #expect(Bool(true)) }
