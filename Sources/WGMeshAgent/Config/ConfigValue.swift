/// One setting's value as given, with the source to name when it is wrong.
struct ConfigValue: Sendable {
    /// The value's shape once lifted out of its source.
    enum Raw: Sendable {
        /// A scalar: a flag's argument, a variable, a YAML string or number.
        case text(String)
        /// A list: repeated flags, a comma-separated variable, a YAML sequence.
        case list([String])
        /// Key-value pairs in order, as labels are given.
        case pairs([(key: String, value: String)])
    }

    /// Where it came from: `--listen-port`, `WGMESH_LISTEN_PORT` or
    /// `/etc/wgmesh/wgmeshd.yaml: listenPort (line 4)`.
    var source: String
    /// The value.
    var raw: Raw
}

/// Every problem found while building a config, so one run reports them all.
struct ConfigProblems: Sendable {
    /// One sentence per problem, each starting with its source.
    private(set) var messages: [String] = []

    /// Records that the value from `source` is wrong.
    mutating func add(_ source: String, _ problem: String) {
        messages.append("\(source): \(problem)")
    }

    /// The problems as one error, or nil when there are none.
    var error: AgentError? {
        switch messages.count {
        case 0: return nil
        case 1: return AgentError(.invalidConfiguration, messages[0])
        default:
            let list = messages.map { "  - " + $0 }.joined(separator: "\n")
            return AgentError(.invalidConfiguration,
                              "the configuration has \(messages.count) problems; fix each:\n" + list)
        }
    }
}

/// The three sources, highest first: flags, then `WGMESH_*` variables,
/// then the file. A setting is taken whole from the highest source that
/// has it, so a list or a label map is never half from one source.
struct ConfigLayers: Sendable {
    var flags: [String: ConfigValue] = [:]
    var environment: [String: ConfigValue] = [:]
    var file: [String: ConfigValue] = [:]

    /// The winning value of `key`, or nil when no source gives it.
    func value(_ key: ConfigKey) -> ConfigValue? {
        flags[key.yaml] ?? environment[key.yaml] ?? file[key.yaml]
    }
}

extension ConfigLayers {
    /// The layer of command-line values; empty lists count as not given.
    static func flagLayer(_ flags: AgentConfigFlags, problems: inout ConfigProblems) -> [String: ConfigValue] {
        var layer: [String: ConfigValue] = [:]
        func text(_ key: ConfigKey, _ value: String?) {
            if let value { layer[key.yaml] = ConfigValue(source: key.flag, raw: .text(value)) }
        }
        text(.nodeName, flags.nodeName)
        text(.datastore, flags.datastore)
        text(.etcdCA, flags.etcdCA)
        text(.etcdCert, flags.etcdCert)
        text(.etcdKey, flags.etcdKey)
        text(.etcdUser, flags.etcdUser)
        text(.etcdPasswordFile, flags.etcdPasswordFile)
        text(.interface, flags.interface)
        text(.listenPort, flags.listenPort)
        text(.wireguardBackend, flags.wireguardBackend)
        text(.stateDir, flags.stateDir)
        text(.metricsAddress, flags.metricsAddress)
        text(.controlSocket, flags.controlSocket)
        text(.mtu, flags.mtu)
        text(.fwmark, flags.fwmark)
        text(.routingTable, flags.routingTable)
        text(.rulePriority, flags.rulePriority)
        text(.resyncInterval, flags.resyncInterval)
        text(.livenessTTL, flags.livenessTTL)
        text(.keyRotationInterval, flags.keyRotationInterval)
        text(.statusInterval, flags.statusInterval)
        text(.logLevel, flags.logLevel)
        if !flags.addresses.isEmpty {
            layer[ConfigKey.addresses.yaml] = ConfigValue(source: ConfigKey.addresses.flag, raw: .list(flags.addresses))
        }
        if !flags.podCIDRs.isEmpty {
            layer[ConfigKey.podCIDRs.yaml] = ConfigValue(source: ConfigKey.podCIDRs.flag, raw: .list(flags.podCIDRs))
        }
        if !flags.labels.isEmpty {
            let source = "--label/--labels"
            var pairs: [(key: String, value: String)] = []
            for entry in flags.labels {
                pairs += splitPairs(entry, source: source, problems: &problems)
            }
            layer[ConfigKey.labels.yaml] = ConfigValue(source: source, raw: .pairs(pairs))
        }
        return layer
    }

    /// The layer of `WGMESH_*` variables. An empty variable counts as unset,
    /// as systemd environment files often leave one blank.
    static func environmentLayer(_ environment: [String: String], problems: inout ConfigProblems)
        -> [String: ConfigValue]
    {
        var layer: [String: ConfigValue] = [:]
        for key in ConfigKey.all {
            guard let text = environment[key.environment], !text.isEmpty else { continue }
            let raw: ConfigValue.Raw = switch key.kind {
            case .list: .list(splitList(text))
            case .map: .pairs(splitPairs(text, source: key.environment, problems: &problems))
            case .string, .integer, .integerOrString: .text(text)
            }
            layer[key.yaml] = ConfigValue(source: key.environment, raw: raw)
        }
        return layer
    }

    /// `a, b,c` as `[a, b, c]`; blanks around items and empty items are dropped.
    static func splitList(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0.trimmingSpaces()) }.filter { !$0.isEmpty }
    }

    /// `k=v,k=v` as pairs; an item without `=` is a problem of `source`.
    static func splitPairs(_ text: String, source: String, problems: inout ConfigProblems)
        -> [(key: String, value: String)]
    {
        var pairs: [(key: String, value: String)] = []
        for item in splitList(text) {
            guard let equals = item.firstIndex(of: "=") else {
                problems.add(source, "'\(item)' is not key=value; write it as key=value, e.g. zone=a")
                continue
            }
            pairs.append((String(item[..<equals]), String(item[item.index(after: equals)...])))
        }
        return pairs
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> SubSequence {
        var text = self[...]
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
