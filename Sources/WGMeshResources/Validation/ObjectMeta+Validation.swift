extension ObjectMeta {
    /// Checks the name, namespace, labels and resource version of a record of `kind`.
    public func validate(for kind: ResourceKind) throws(ResourceError) {
        try NameRules.checkName(name, at: "metadata.name")
        if kind.namespaced {
            guard let namespace else {
                throw ResourceError.field(.missingField, "metadata.namespace",
                                          "\(kind.name) is namespaced; add metadata.namespace")
            }
            if let problem = NameRules.labelProblem(namespace) {
                throw ResourceError.field(.invalidField, "metadata.namespace", "'\(namespace)' is not a valid namespace: \(problem)")
            }
        } else if namespace != nil {
            throw ResourceError.field(.invalidField, "metadata.namespace", "\(kind.name) is not namespaced; remove the namespace")
        }
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            if let problem = NameRules.labelKeyProblem(key) {
                throw ResourceError.field(.invalidField, "metadata.labels", "'\(key)' is not a valid label key: \(problem)")
            }
            if let problem = NameRules.labelValueProblem(value) {
                throw ResourceError.field(.invalidField, "metadata.labels.\(key)",
                                          "'\(value)' is not a valid label value: \(problem)")
            }
        }
        if let resourceVersion, Int64(resourceVersion) == nil || !resourceVersion.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            throw ResourceError.field(.invalidField, "metadata.resourceVersion",
                                      "'\(resourceVersion)' is not a revision; use the decimal number a read returned, or leave it out")
        }
    }
}
