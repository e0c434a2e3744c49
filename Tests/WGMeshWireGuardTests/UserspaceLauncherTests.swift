import Glibc
import Testing
@testable import WGMeshWireGuard
import WGMeshCore

/// Starting wireguard-go: failures say what happened; no root needed (no real TUN is made).
@Suite struct UserspaceLauncherTests {
    @Test func aMissingProgramSaysToInstallWireguardGo() throws {
        let error = try #require(throws: WireGuardError.self) {
            try WireGuardGoLauncher.start("wgl0", socketPath: "/nonexistent/wgl0.sock", program: "wgmesh-no-such-program")
        }
        #expect(error.code == .noImplementation)
        #expect(error.reason.contains("apt-get install wireguard-go"))
    }

    @Test func foregroundVariablesAreStripped() {
        let environment = ["PATH=/usr/bin", "WG_PROCESS_FOREGROUND=1", "WG_TUN_FD=3", "WG_UAPI_FD=4", "LOG_LEVEL=debug",
                           "WG_PROCESS_FOREGROUNDX=1"]
        #expect(WireGuardGoLauncher.childEnvironment(environment) == ["PATH=/usr/bin", "LOG_LEVEL=debug", "WG_PROCESS_FOREGROUNDX=1"])
    }

    /// A stand-in for wireguard-go: a shell script with `body` in a fresh
    /// directory; the test reads what it wrote to `seen`.
    struct FakeProgram {
        let directory: String
        var script: String { directory + "/fake-wireguard-go" }
        var seen: String { directory + "/seen" }

        init(_ body: (_ seen: String) -> String) throws {
            var template = Array("/tmp/wgmesh-launch-XXXXXX".utf8CString)
            directory = String(cString: try #require(mkdtemp(&template)))
            let text = "#!/bin/sh\n" + body(directory + "/seen") + "\n"
            let fd = open(directory + "/fake-wireguard-go", O_CREAT | O_WRONLY | O_TRUNC, 0o700)
            _ = text.withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }

        func remove() {
            unlink(script)
            unlink(seen)
            rmdir(directory)
        }
    }

    @Test func aFailingProgramReportsItsStatusAndLastLine() throws {
        // Prints what wireguard-go would on failure, and records its session.
        let fake = try FakeProgram { seen in
            """
            echo "name=$1 sid=$(cut -d' ' -f6 /proc/$$/stat) pid=$$" > \(seen)
            echo "ERROR: ($1) Failed to create TUN device: no tun here" >&2
            exit 3
            """
        }
        defer { fake.remove() }
        let directory = fake.directory, script = fake.script, seen = fake.seen
        let error = try #require(throws: WireGuardError.self) {
            try WireGuardGoLauncher.start("wgl1", socketPath: "\(directory)/wgl1.sock", program: script)
        }
        #expect(error.code == .userspaceLaunchFailed)
        #expect(error.reason.contains("exited with status 3"))
        #expect(error.reason.contains("Failed to create TUN device: no tun here"))

        let record = UserspaceLive.run(["cat", seen]).output
        #expect(record.hasPrefix("name=wgl1 "), "\(record)")
        // POSIX_SPAWN_SETSID: the program leads its own session.
        let fields = Dictionary(uniqueKeysWithValues: record.split(separator: " ").compactMap { part -> (String, String)? in
            let pair = part.split(separator: "=", maxSplits: 1)
            return pair.count == 2 ? (String(pair[0]), String(pair[1]).trimmingWhitespace().description) : nil
        })
        #expect(fields["sid"] != nil && fields["sid"] == fields["pid"])
    }

    /// wireguard-go outlives wgmeshd: a socket of ours left open in it (the
    /// metrics listener) kept the next wgmeshd from binding its port.
    @Test func theProgramInheritsNoDescriptorOfOurs() throws {
        let leaked = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)  // no SOCK_CLOEXEC, as some libraries do
        try #require(leaked > 2)
        defer { close(leaked) }
        let fake = try FakeProgram { seen in
            """
            if [ -e /proc/$$/fd/\(leaked) ]; then echo inherited > \(seen); else echo clean > \(seen); fi
            exit 3
            """
        }
        defer { fake.remove() }
        _ = try #require(throws: WireGuardError.self) {
            try WireGuardGoLauncher.start("wgl2", socketPath: "\(fake.directory)/wgl2.sock", program: fake.script)
        }
        #expect(UserspaceLive.run(["cat", fake.seen]).output.trimmingWhitespace() == "clean")
    }
}
