import WGMeshCore
import WGMeshResources

extension ConfigParsers {
    /// Underlay addresses: host addresses a peer can reach, at most one per family.
    static func addresses(_ value: ConfigValue, _ problems: inout ConfigProblems) -> [IPAddress]? {
        var result: [IPAddress] = []
        var failed = false
        for text in list(value) {
            let address: IPAddress
            do {
                address = try IPAddress(text)
            } catch {
                problems.add(value.source, "'\(text)' is not an IP address; give one like 192.0.2.10 or 2001:db8::10")
                failed = true
                continue
            }
            if let problem = unreachable(address) {
                problems.add(value.source, "\(address) is \(problem); give the address peers reach this node at")
                failed = true
            } else if let other = result.first(where: { $0.family == address.family }) {
                problems.add(value.source, "\(other) and \(address) are both IPv\(address.family == .v4 ? 4 : 6); "
                             + "give at most one IPv4 and one IPv6 address")
                failed = true
            } else {
                result.append(address)
            }
        }
        return failed ? nil : result
    }

    /// Why peers could never send to `address`, or nil.
    private static func unreachable(_ address: IPAddress) -> String? {
        let bytes = address.networkBytes
        if bytes.allSatisfy({ $0 == 0 }) { return "the unspecified address" }
        switch address.family {
        case .v4:
            if bytes[0] == 127 { return "a loopback address" }
            if bytes[0] >= 224 { return "a multicast or reserved address" }
        case .v6:
            if bytes.dropLast().allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return "the loopback address" }
            if bytes[0] == 0xFF { return "a multicast address" }
        }
        return nil
    }

    /// Pod CIDRs: network addresses without host bits, each listed once.
    static func podCIDRs(_ value: ConfigValue, _ problems: inout ConfigProblems) -> [IPNetwork]? {
        var result: [IPNetwork] = []
        var failed = false
        for text in list(value) {
            // IPNetwork reads a bare address as a /32 or /128; a pod CIDR
            // that small is a typo, so the prefix must be written.
            guard text.contains("/") else {
                problems.add(value.source, "'\(text)' is not a CIDR (no /prefix); give one like 10.244.1.0/24")
                failed = true
                continue
            }
            do {
                let network = try IPNetwork(text)
                if network.masked != network {
                    problems.add(value.source, "\(text) has host bits set; use \(network.masked)")
                    failed = true
                } else if result.contains(network) {
                    problems.add(value.source, "\(network) is listed twice; keep one")
                    failed = true
                } else {
                    result.append(network)
                }
            } catch {
                problems.add(value.source, "'\(text)' is not a CIDR; give one like 10.244.1.0/24 or fd00:10:244:1::/64")
                failed = true
            }
        }
        return failed ? nil : result
    }

    /// Labels, checked by the rules resource labels follow.
    static func labels(_ value: ConfigValue, _ problems: inout ConfigProblems) -> [String: String]? {
        let pairs: [(key: String, value: String)]
        switch value.raw {
        case .pairs(let given): pairs = given
        case .text, .list: pairs = ConfigLayers.splitPairs(list(value).joined(separator: ","), source: value.source,
                                                           problems: &problems)
        }
        var result: [String: String] = [:]
        var failed = false
        for pair in pairs {
            if let problem = NameRules.labelKeyProblem(pair.key) {
                problems.add(value.source, "label key '\(pair.key)' is not valid: \(problem)")
                failed = true
            } else if let problem = NameRules.labelValueProblem(pair.value) {
                problems.add(value.source, "the value '\(pair.value)' of label '\(pair.key)' is not valid: \(problem)")
                failed = true
            } else if result[pair.key] != nil {
                problems.add(value.source, "label '\(pair.key)' is given twice; keep one")
                failed = true
            } else {
                result[pair.key] = pair.value
            }
        }
        return failed ? nil : result
    }

    /// An interface name Linux accepts.
    static func interfaceName(_ value: ConfigValue, _ problems: inout ConfigProblems) -> InterfaceName? {
        guard let text = text(value, &problems) else { return nil }
        do {
            return try InterfaceName(text)
        } catch {
            problems.add(value.source, "\(error.reason); give 1-15 characters without '/', ':' or spaces, e.g. wgmesh0")
            return nil
        }
    }

    /// `host:port` for the metrics listener; an IPv6 host goes in brackets.
    static func metricsAddress(_ value: ConfigValue, _ problems: inout ConfigProblems) -> String? {
        guard let text = text(value, &problems) else { return nil }
        let example = "e.g. 127.0.0.1:9090, [::1]:9090 or localhost:9090"
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") else {
                problems.add(value.source, "'\(text)' is not [IPv6]:port; \(example)")
                return nil
            }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
            guard (try? IPAddress(host))?.family == .v6 else {
                problems.add(value.source, "'\(host)' in brackets is not an IPv6 address; \(example)")
                return nil
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                problems.add(value.source, "'\(text)' has no port; give host:port, \(example)")
                return nil
            }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            if host.contains(":") {
                problems.add(value.source, "'\(text)': an IPv6 host goes in brackets, e.g. [::1]:9090")
                return nil
            }
            guard !host.isEmpty, (try? IPAddress(host)) != nil || NameRules.subdomainProblem(host.lowercased()) == nil
            else {
                problems.add(value.source, "'\(host)' is not a host name or address; \(example)")
                return nil
            }
        }
        guard let number = UInt16(port), number > 0, port.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            problems.add(value.source, "'\(port)' is not a port; give 1-65535, \(example)")
            return nil
        }
        return text
    }
}
