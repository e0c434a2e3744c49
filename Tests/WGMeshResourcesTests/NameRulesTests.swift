import Testing
@testable import WGMeshResources

@Suite struct NameRulesTests {
    @Test(arguments: [
        ("node-a", true), ("a", true), ("0", true), ("a.b-c.d", true), (String(repeating: "a", count: 253), true),
        (String(repeating: "a", count: 254), false), ("", false), ("Node-A", false), ("-a", false), ("a-", false),
        (".a", false), ("a_b", false), ("a b", false), ("nödé", false), ("a/b", false),
    ])
    func subdomains(name: String, valid: Bool) {
        #expect((NameRules.subdomainProblem(name) == nil) == valid)
    }

    @Test(arguments: [
        ("default", true), ("kube-system", true), (String(repeating: "a", count: 63), true),
        (String(repeating: "a", count: 64), false), ("a.b", false), ("A", false), ("", false), ("-x", false),
    ])
    func labels(name: String, valid: Bool) {
        #expect((NameRules.labelProblem(name) == nil) == valid)
    }

    @Test(arguments: [
        ("app", true), ("App_1.x-y", true), ("example.com/role", true), ("a.b/c", true),
        (String(repeating: "k", count: 63), true), (String(repeating: "k", count: 64), false),
        ("", false), ("/name", false), ("example.com/", false), ("Example.com/x", false), ("_a", false),
        ("a_", false), ("a/b/c", false), ("a b", false),
    ])
    func labelKeys(key: String, valid: Bool) {
        #expect((NameRules.labelKeyProblem(key) == nil) == valid, "\(NameRules.labelKeyProblem(key) ?? "ok")")
    }

    @Test(arguments: [
        ("", true), ("web", true), ("Web_1.x-y", true), (String(repeating: "v", count: 63), true),
        (String(repeating: "v", count: 64), false), ("-v", false), ("v.", false), ("a/b", false), ("a b", false),
    ])
    func labelValues(value: String, valid: Bool) {
        #expect((NameRules.labelValueProblem(value) == nil) == valid)
    }

    @Test func problemsSayWhatIsAllowed() {
        #expect(NameRules.subdomainProblem("a_b") == "it contains '_'; use only lower-case letters, digits, '-', '.'")
        #expect(NameRules.subdomainProblem("a-") == "it must start and end with a letter or digit")
    }
}
