import Testing
import WGMeshResources

@Suite struct SelectorErrorTests {
    @Test(arguments: [
        // Unterminated strings point at the opening quote.
        ("role == 'db", SelectorError.Code.unterminatedString, 9),
        ("role == \"db' && x", .unterminatedString, 9),
        // Unknown tokens point at the character.
        ("role = 'db'", .unknownToken, 6),
        ("role == 'db' & zone == 'a'", .unknownToken, 14),
        ("role == 'db' | has(x)", .unknownToken, 14),
        ("role@x == 'a'", .unknownToken, 5),
        ("zoné == 'x'", .unknownToken, 4),
        // A missing operand points at the dangling operator when the text ends.
        ("role == 'db' &&", .expectedExpression, 14),
        ("a == 'b' || ", .expectedExpression, 10),
        ("!", .expectedExpression, 1),
        ("()", .expectedExpression, 2),
        ("&& a == 'b'", .expectedExpression, 1),
        ("name == 'é' &&", .expectedExpression, 13),  // columns count characters, not bytes
        // Missing ')' points at the unclosed '(' at the end, else at what came instead.
        ("(role == 'db'", .missingParenthesis, 1),
        ("x == 'y' && (role == 'db' zone", .missingParenthesis, 27),
        ("has(role", .missingParenthesis, 4),
        ("has(role zone)", .missingParenthesis, 10),
        ("all(x)", .missingParenthesis, 5),
        // Missing '}' likewise.
        ("zone in {'a', 'b'", .missingBrace, 9),
        ("zone in {'a' 'b'}", .missingBrace, 14),
        // Trailing garbage.
        ("role == 'db' zone", .trailingInput, 14),
        ("role == 'db')", .trailingInput, 13),
        ("all() all()", .trailingInput, 7),
        // `in` without a set.
        ("zone in 'a'", .expectedSet, 9),
        ("zone in", .expectedSet, 6),
        ("zone not in", .expectedSet, 10),
        ("zone not in ('a')", .expectedSet, 13),
        // Bad keys.
        ("has('role')", .badKey, 5),
        ("has()", .badKey, 5),
        ("has(", .badKey, 4),
        ("'role' == 'db'", .badKey, 1),
        ("a/b/c == 'x'", .badKey, 1),
        ("x == 'y' || has(/x)", .badKey, 17),
        ("prefix/ != 'x'", .badKey, 1),
        // Operators and values.
        ("role", .expectedOperator, 1),
        ("role 'db'", .expectedOperator, 6),
        ("zone not 'a'", .expectedOperator, 10),
        ("role == db", .expectedValue, 9),
        ("role ==", .expectedValue, 6),
        ("role != (", .expectedValue, 9),
        ("zone in {a}", .expectedValue, 10),
        ("zone in {'a',}", .expectedValue, 14),
    ] as [(String, SelectorError.Code, Int)])
    func errorsPointAtTheColumn(text: String, code: SelectorError.Code, column: Int) {
        #expect {
            try LabelSelector(text)
        } throws: { error in
            guard let error = error as? SelectorError else { return false }
            return error.code == code && error.column == column && error.selector == text
        }
    }

    @Test func descriptionNamesTheSelectorTheColumnAndTheFix() {
        do {
            _ = try LabelSelector("role == 'db' &&")
            Issue.record("a dangling && parsed")
        } catch {
            #expect(error.code == .expectedExpression)
            #expect(error.description.hasPrefix(#"selector "role == 'db' &&": expected an expression at column 14; "#))
            #expect(error.fix.contains("'&&'"))
        }
    }

    @Test func newlinesPrintAsSpacesSoTheColumnLinesUp() {
        do {
            _ = try LabelSelector("has(a) &&\n=")
            Issue.record("a lone '=' parsed")
        } catch {
            #expect(error.column == 11)
            #expect(error.description.hasPrefix(#"selector "has(a) && =": unknown token '=' at column 11"#))
        }
    }

    @Test func nestingIsBounded() throws {
        let depth = LabelSelector.maximumDepth
        let deepest = String(repeating: "(", count: depth) + "a == 'b'" + String(repeating: ")", count: depth)
        #expect(try LabelSelector(deepest).matches(["a": "b"]))
        #expect(try LabelSelector(String(repeating: "!", count: depth) + "has(a)").matches(["a": "b"]))

        let tooDeep = String(repeating: "(", count: depth + 1) + "a == 'b'" + String(repeating: ")", count: depth + 1)
        #expect(throws: SelectorError.self) { try LabelSelector(tooDeep) }
        do {
            _ = try LabelSelector(String(repeating: "!", count: 100_000) + "has(a)")
            Issue.record("100,000 '!' parsed")
        } catch {
            #expect(error.code == .tooDeep)
            #expect(error.column == depth + 1)
        }
    }

    @Test func longFlatSelectorsParse() throws {
        // Long chains of && are flat, not nested, so they are not limited by depth.
        let text = (0..<5_000).map { "k\($0) != 'x'" }.joined(separator: " && ")
        let selector = try LabelSelector(text)
        #expect(selector.matches([:]))
        #expect(!selector.matches(["k4999": "x"]))
    }
}
