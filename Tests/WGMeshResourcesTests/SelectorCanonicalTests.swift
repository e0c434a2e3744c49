import Testing
import WGMeshResources

@Suite struct SelectorCanonicalTests {
    @Test(arguments: [
        ("", "all()"),
        ("role=='db'", "role == 'db'"),
        ("role == \"db\"", "role == 'db'"),
        ("note == \"it's\"", "note == \"it's\""),
        ("zone in {'b','a','a'}", "zone in {'a', 'b'}"),
        ("zone not in {}", "zone not in {}"),
        ("! has(a)", "!has(a)"),
        ("!a == 'x'", "!(a == 'x')"),
        ("!!all()", "!!all()"),
        ("((has(a)))", "has(a)"),
        ("a == 'x' || b == 'y' && c == 'z'", "a == 'x' || b == 'y' && c == 'z'"),
        ("a == 'x' || (b == 'y' && c == 'z')", "a == 'x' || b == 'y' && c == 'z'"),
        ("(a == 'x' || b == 'y') && c == 'z'", "(a == 'x' || b == 'y') && c == 'z'"),
        ("a == 'x' && (b == 'y' && c == 'z')", "a == 'x' && b == 'y' && c == 'z'"),
        ("(a == 'x' || b == 'y') || c == 'z'", "a == 'x' || b == 'y' || c == 'z'"),
        ("!(a == 'x' || has(b))", "!(a == 'x' || has(b))"),
        ("!(has(a) && has(b))", "!(has(a) && has(b))"),
        ("example.com/role in {'db'}", "example.com/role in {'db'}"),
    ])
    func descriptionIsCanonicalAndReparses(text: String, canonical: String) throws {
        let selector = try LabelSelector(text)
        #expect(selector.description == canonical)
        let reparsed = try LabelSelector(selector.description)
        #expect(reparsed == selector)
        #expect(reparsed.hashValue == selector.hashValue)
        #expect(reparsed.description == canonical)
    }

    @Test func equalityIsByMeaningWhereTheGrammarAllows() throws {
        #expect(try LabelSelector("a == 'x' && (b == 'y' && c == 'z')")
                == LabelSelector("(a == 'x' && b == 'y') && c == 'z'"))
        #expect(try LabelSelector("k in {'a', 'b'}") == LabelSelector("k in {'b','a'}"))
        #expect(try LabelSelector("k == 'a'") != LabelSelector("k != 'a'"))
        #expect(try LabelSelector("k in {'a'}") != LabelSelector("k not in {'a'}"))
        #expect(try LabelSelector("has(a)") != LabelSelector("has(b)"))
        let set: Set<LabelSelector> = [try LabelSelector("has(a)"), try LabelSelector(" has( a ) "), .all,
                                       try LabelSelector("")]
        #expect(set.count == 2)
    }

    /// A fixed-seed generator, so a failing selector can be reproduced.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomSelector(depth: Int, using rng: inout SplitMix) -> String {
        let keys = ["a", "b", "example.com/c"]
        let values = ["1", "2", "it's"]
        func key() -> String { keys.randomElement(using: &rng)! }
        func value() -> String {
            let v = values.randomElement(using: &rng)!
            return v.contains("'") ? "\"\(v)\"" : "'\(v)'"
        }
        let choice = depth == 0 ? Int.random(in: 0..<7, using: &rng) : Int.random(in: 0..<11, using: &rng)
        switch choice {
        case 0: return "all()"
        case 1: return "has(\(key()))"
        case 2: return "\(key()) == \(value())"
        case 3: return "\(key())!=\(value())"
        case 4: return "\(key()) in {\(value()), \(value())}"
        case 5: return "\(key()) not in {\(value())}"
        case 6: return "!has(\(key()))"
        case 7: return "!(\(randomSelector(depth: depth - 1, using: &rng)))"
        case 8: return "(\(randomSelector(depth: depth - 1, using: &rng)))"
        case 9: return "\(randomSelector(depth: depth - 1, using: &rng)) && \(randomSelector(depth: depth - 1, using: &rng))"
        default: return "\(randomSelector(depth: depth - 1, using: &rng)) || \(randomSelector(depth: depth - 1, using: &rng))"
        }
    }

    @Test func randomSelectorsRoundTripAndAgreeOnEveryLabelSet() throws {
        var rng = SplitMix(state: 3)
        var labelSets: [[String: String]] = [[:]]
        for a in [nil, "1", "it's"] as [String?] {
            for c in [nil, "2"] as [String?] {
                var labels: [String: String] = ["b": "1"]
                labels["a"] = a
                labels["example.com/c"] = c
                labelSets.append(labels)
            }
        }
        for _ in 0..<500 {
            let text = Self.randomSelector(depth: 4, using: &rng)
            let selector = try LabelSelector(text)
            let reparsed = try LabelSelector(selector.description)
            #expect(reparsed == selector, "\(text) printed as \(selector)")
            #expect(reparsed.description == selector.description)
            for labels in labelSets {
                #expect(reparsed.matches(labels) == selector.matches(labels), "\(text) on \(labels)")
            }
        }
    }
}
