import Testing
import WGMeshResources

/// One row of the evaluation table: a selector, a label set, and whether it matches.
struct SelectorCase: Sendable, CustomTestStringConvertible {
    let selector: String
    let labels: [String: String]
    let expected: Bool

    init(_ selector: String, _ labels: [String: String], _ expected: Bool) {
        self.selector = selector
        self.labels = labels
        self.expected = expected
    }

    var testDescription: String { "\(selector) on \(labels) is \(expected)" }
}

@Suite struct SelectorMatchTests {
    static let db: [String: String] = ["role": "db", "zone": "a", "example.com/tier": "gold"]
    static let web: [String: String] = ["role": "web", "zone": "b"]
    static let none: [String: String] = [:]

    static let cases: [SelectorCase] = [
        // all() and the empty selector.
        SelectorCase("all()", none, true),
        SelectorCase("", db, true),
        SelectorCase("  \t\n ", none, true),
        SelectorCase("!all()", db, false),
        // Equality; an absent label is never equal and always unequal.
        SelectorCase("role == 'db'", db, true),
        SelectorCase("role == 'db'", web, false),
        SelectorCase("role == 'db'", none, false),
        SelectorCase("role == \"db\"", db, true),
        SelectorCase("role != 'db'", db, false),
        SelectorCase("role != 'db'", web, true),
        SelectorCase("role != 'db'", none, true),
        SelectorCase("role == ''", ["role": ""], true),
        SelectorCase("role != ''", ["role": ""], false),
        SelectorCase("example.com/tier == 'gold'", db, true),
        SelectorCase("my_key-1.x == 'ok'", ["my_key-1.x": "ok"], true),
        // has() and !has().
        SelectorCase("has(zone)", db, true),
        SelectorCase("has(zone)", none, false),
        SelectorCase("has(example.com/tier)", db, true),
        SelectorCase("!has(zone)", db, false),
        SelectorCase("!has(zone)", none, true),
        SelectorCase("has ( zone )", db, true),
        // Sets; `in` is false and `not in` true when the label is absent.
        SelectorCase("zone in {'a', 'b'}", db, true),
        SelectorCase("zone in {'a','b'}", web, true),
        SelectorCase("zone in {'c'}", db, false),
        SelectorCase("zone in {'a'}", none, false),
        SelectorCase("zone in {}", db, false),
        SelectorCase("zone not in {'a'}", db, false),
        SelectorCase("zone not in {'a'}", web, true),
        SelectorCase("zone not in {'a'}", none, true),
        SelectorCase("zone not in {}", db, true),
        SelectorCase("zone in {\"a\", 'c'}", db, true),
        // Boolean operators and parentheses.
        SelectorCase("role == 'db' && zone == 'a'", db, true),
        SelectorCase("role == 'db' && zone == 'b'", db, false),
        SelectorCase("role == 'db' || zone == 'b'", web, true),
        SelectorCase("role == 'x' || zone == 'x'", web, false),
        SelectorCase("!(role == 'db' || role == 'web')", web, false),
        SelectorCase("!(role == 'db' || role == 'web')", none, true),
        SelectorCase("!role == 'db'", web, true),
        SelectorCase("!!has(role)", web, true),
        SelectorCase("(role=='web')&&(zone!='a')", web, true),
        SelectorCase("has(role) && !has(example.com/tier) && zone in {'b'}", web, true),
        SelectorCase("has(role) && !has(example.com/tier) && zone in {'b'}", db, false),
        // Values are opaque: operators and keywords inside quotes are just text.
        SelectorCase("role == 'a && b'", ["role": "a && b"], true),
        SelectorCase("note == \"it's\"", ["note": "it's"], true),
        SelectorCase("role in {'}', ','}", ["role": ","], true),
        SelectorCase("name == 'zoné'", ["name": "zoné"], true),
        // Words that are keywords elsewhere are ordinary keys here.
        SelectorCase("has == 'x' && in == 'y' && not != 'z'", ["has": "x", "in": "y"], true),
        SelectorCase("all == 'yes'", ["all": "yes"], true),
    ]

    @Test(arguments: cases)
    func selectorMatchesLikeCalico(_ row: SelectorCase) throws {
        let selector = try LabelSelector(row.selector)
        #expect(selector.matches(row.labels) == row.expected)
    }

    @Test(arguments: cases)
    func canonicalTextMatchesTheSame(_ row: SelectorCase) throws {
        let reparsed = try LabelSelector(LabelSelector(row.selector).description)
        #expect(reparsed.matches(row.labels) == row.expected)
    }

    @Test func emptyTextIsAll() throws {
        #expect(try LabelSelector("") == .all)
        #expect(try LabelSelector("   ") == .all)
        #expect(LabelSelector.all.description == "all()")
        #expect(LabelSelector.all.selectsAll)
        #expect(try !LabelSelector("has(a)").selectsAll)
    }
}
