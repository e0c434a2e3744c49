import Testing
import WGMeshResources

/// `!` binds tightest, then `&&`, then `||`, as in Calico. Each row's labels
/// tell the right grouping from the wrong one.
@Suite struct SelectorPrecedenceTests {
    @Test(arguments: [
        // Right: a || (b && c). Wrong, (a || b) && c, would give false.
        ("a == '1' || b == '1' && c == '1'", ["a": "1"], true),
        // Right: (a && b) || c. Wrong, a && (b || c), would give false.
        ("a == '1' && b == '1' || c == '1'", ["c": "1"], true),
        // Right: (!has(a)) && has(b). Wrong, !(has(a) && has(b)), would give true.
        ("!has(a) && has(b)", [:], false),
        // Right: (!has(a)) || has(b). Wrong, !(has(a) || has(b)), would give false.
        ("!has(a) || has(b)", ["a": "1", "b": "1"], true),
        // `!` applies to the comparison after it, not to the key.
        ("!a == '1' && has(b)", ["b": "1"], true),
        // Parentheses override.
        ("(a == '1' || b == '1') && c == '1'", ["a": "1"], false),
        ("!(has(a) && has(b))", [:], true),
    ] as [(String, [String: String], Bool)])
    func precedence(text: String, labels: [String: String], expected: Bool) throws {
        #expect(try LabelSelector(text).matches(labels) == expected)
    }

    @Test func andGroupsBeforeOr() throws {
        let plain = try LabelSelector("a == '1' || b == '1' && c == '1'")
        #expect(plain == (try LabelSelector("a == '1' || (b == '1' && c == '1')")))
        #expect(plain != (try LabelSelector("(a == '1' || b == '1') && c == '1'")))
        let notFirst = try LabelSelector("!has(a) && has(b)")
        #expect(notFirst == (try LabelSelector("(!has(a)) && has(b)")))
        #expect(notFirst != (try LabelSelector("!(has(a) && has(b))")))
    }
}
