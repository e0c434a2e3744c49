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

    @Test func aFailingProgramReportsItsStatusAndLastLine() throws {
        // A stand-in that prints what wireguard-go would on failure, and records the variables it saw.
        var template = Array("/tmp/wgmesh-launch-XXXXXX".utf8CString)
        let directory = String(cString: try #require(mkdtemp(&template)))
        let script = "\(directory)/fake-wireguard-go"
        let seen = "\(directory)/seen"
        let body = """
            #!/bin/sh
            echo "name=$1 sid=$(cut -d' ' -f6 /proc/$$/stat) pid=$$" > \(seen)
            echo "ERROR: ($1) Failed to create TUN device: no tun here" >&2
            exit 3

            """
        let fd = open(script, O_CREAT | O_WRONLY | O_TRUNC, 0o700)
        _ = body.withCString { write(fd, $0, strlen($0)) }
        close(fd)
        defer {
            unlink(script)
            unlink(seen)
            rmdir(directory)
        }
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
}
