import Glibc

/// A fake UAPI process: listens on `DIR/NAME.sock`, answers each connection with canned bytes.
///
/// It runs on its own pthread (never the cooperative pool, which the blocking client would
/// starve), records every request, and is joined before anyone reads the record.
final class UserspaceFakeServer: @unchecked Sendable {
    /// How one connection is answered.
    struct Script: Sendable {
        /// The bytes written back.
        var reply: [UInt8]
        /// Answer (and close) after reading this many bytes instead of waiting for the blank line,
        /// the way wireguard-go answers a bad line early and stops reading.
        var answerAfterBytes: Int? = nil
    }

    /// The temporary socket directory; removed by ``stop()``.
    let directory: String
    /// The device name the socket is for.
    let device: String
    private let listener: Int32
    private let scripts: [Script]
    // Written only by the server thread, read only after pthread_join: no lock needed.
    private var recorded: [[UInt8]] = []
    private var thread: pthread_t?

    /// Starts serving `scripts.count` connections, in order.
    init(device: String = "wgfake0", scripts: [Script]) throws {
        var template = Array("/tmp/wgmesh-uapi-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw FakeServerError("mkdtemp failed: errno \(errno)") }
        directory = String(cString: made)
        self.device = device
        self.scripts = scripts
        listener = try Self.listen(at: "\(directory)/\(device).sock")
        let context = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        guard pthread_create(&handle, nil, { raw in
            let server = Unmanaged<UserspaceFakeServer>.fromOpaque(raw!).takeRetainedValue()
            server.serve()
            return nil
        }, context) == 0 else { throw FakeServerError("pthread_create failed") }
        thread = handle
    }

    /// Starts a server that answers every connection in `replies` as text.
    convenience init(device: String = "wgfake0", replies: [String]) throws {
        try self.init(device: device, scripts: replies.map { Script(reply: Array($0.utf8)) })
    }

    /// Waits for the server to finish its scripts and returns what each connection sent.
    func requests() -> [[UInt8]] {
        if let thread { pthread_join(thread, nil) }
        thread = nil
        return recorded
    }

    /// The requests as text.
    func requestTexts() -> [String] { requests().map { String(decoding: $0, as: UTF8.self) } }

    /// Joins the thread and removes the socket and directory.
    func stop() {
        _ = requests()
        close(listener)
        unlink("\(directory)/\(device).sock")
        rmdir(directory)
    }

    private static func listen(at path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { out in
            let bytes = Array(path.utf8)
            out.copyBytes(from: bytes)
            out[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 8) == 0 else { throw FakeServerError("bind/listen \(path): errno \(errno)") }
        return fd
    }

    private func serve() {
        for script in scripts {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            var request: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                if let limit = script.answerAfterBytes, request.count >= limit { break }
                // A request is complete at its blank line: "\n\n" at the end of what came so far.
                if request.count >= 2, request[request.count - 2] == 10, request[request.count - 1] == 10 { break }
                let wanted = script.answerAfterBytes.map { min(chunk.count, $0 - request.count) } ?? chunk.count
                let count = recv(connection, &chunk, wanted, 0)
                if count <= 0 { break }
                request.append(contentsOf: chunk[0..<count])
            }
            recorded.append(request)
            _ = script.reply.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(connection)
        }
    }
}

/// A failure to set up the fake server itself.
struct FakeServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
