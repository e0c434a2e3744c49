import Glibc

extension AgentConfigLoader {
    /// Config files are a screenful of settings; anything this large is the wrong file.
    static let maxConfigFileBytes = 1 << 20

    /// Reads the config file at `path`; `source` (`--config` or
    /// `WGMESH_CONFIG`) is named when it cannot be read.
    ///
    /// Any owner and mode is accepted: the file holds no secret (etcd's
    /// password stays in its own 0600 file).
    public static func readConfigFile(_ path: String, source: String) throws(AgentError) -> File {
        func failure(_ problem: String) -> AgentError {
            AgentError(.invalidConfiguration, "\(source): cannot read \(path): \(problem)")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            let fix = code == ENOENT ? "create it or point \(source) at the right file"
                : code == EACCES ? "make it readable by this user" : "check the path"
            throw failure("\(String(cString: strerror(code))); \(fix)")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                let fix = code == EISDIR ? "give the path of a file, not a directory" : "check the file"
                throw failure("\(String(cString: strerror(code))); \(fix)")
            }
            bytes += chunk[..<count]
            guard bytes.count <= maxConfigFileBytes else {
                throw failure("it is larger than \(maxConfigFileBytes) bytes; give wgmeshd's YAML settings file")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw failure("it is not UTF-8 text; save it as UTF-8")
        }
        return File(path: path, text: text)
    }

    /// Reads the config file the flags or environment name, if any.
    public static func readConfigFile(flags: AgentConfigFlags, environment: [String: String]) throws(AgentError)
        -> File?
    {
        guard let (path, source) = configFilePath(flags: flags, environment: environment) else { return nil }
        return try readConfigFile(path, source: source)
    }
}
