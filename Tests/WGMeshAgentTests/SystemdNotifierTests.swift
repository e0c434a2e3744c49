import Glibc
import Testing
import WGMeshTestSupport
@testable import WGMeshAgent

/// sd_notify without libsystemd: reading systemd's variables and sending
/// datagrams to path and abstract sockets.
@Suite struct SystemdNotifierTests {
    @Test func noSocketMeansNotStartedBySystemd() throws {
        #expect(try SystemdNotifier.parse([:], pid: 10) == nil)
        #expect(try SystemdNotifier.parse(["NOTIFY_SOCKET": "", "WATCHDOG_USEC": "100"], pid: 10) == nil)
    }

    @Test(arguments: [
        ("/run/systemd/notify", SystemdNotifier.Address.path("/run/systemd/notify")),
        ("@/org/freedesktop/systemd1/notify/42", .abstract("/org/freedesktop/systemd1/notify/42")),
        ("@x", .abstract("x")),
    ])
    func socketForms(text: String, address: SystemdNotifier.Address) throws {
        let notifier = try #require(try SystemdNotifier.parse(["NOTIFY_SOCKET": text], pid: 10))
        #expect(notifier.address == address)
        #expect(notifier.description == text)
        #expect(notifier.watchdogInterval == nil)
    }

    @Test(arguments: ["run/notify", "@", "vsock:2:1234", "/" + String(repeating: "a", count: 200)])
    func badSocketIsRefusedWithTheFix(text: String) {
        #expect {
            _ = try SystemdNotifier.parse(["NOTIFY_SOCKET": text], pid: 10)
        } throws: { error in
            guard let error = error as? AgentError else { return false }
            return error.code == .systemd && error.reason.contains("NOTIFY_SOCKET=") && error.reason.contains(";")
        }
    }

    @Test func watchdogIntervalIsForThisProcessOnly() throws {
        let base = ["NOTIFY_SOCKET": "/run/n", "WATCHDOG_USEC": "2000000"]
        #expect(try SystemdNotifier.parse(base, pid: 7)?.watchdogInterval == .seconds(2))
        var mine = base
        mine["WATCHDOG_PID"] = "7"
        #expect(try SystemdNotifier.parse(mine, pid: 7)?.watchdogInterval == .seconds(2))
        // A parent's watchdog: the socket still works for READY and STATUS.
        var other = base
        other["WATCHDOG_PID"] = "8"
        let notifier = try #require(try SystemdNotifier.parse(other, pid: 7))
        #expect(notifier.watchdogInterval == nil)
        #expect(notifier.address == .path("/run/n"))
    }

    @Test(arguments: [["WATCHDOG_USEC": "0"], ["WATCHDOG_USEC": "2s"], ["WATCHDOG_USEC": "-5"],
                      ["WATCHDOG_USEC": "100", "WATCHDOG_PID": "me"]])
    func badWatchdogIsRefused(variables: [String: String]) {
        let environment = variables.merging(["NOTIFY_SOCKET": "/run/n"]) { mine, _ in mine }
        #expect(throws: AgentError.self) { _ = try SystemdNotifier.parse(environment, pid: 10) }
    }

    @Test func sendsToASocketFile() async throws {
        let directory = try makeTemporaryDirectory(prefix: "wgmesh-notify")
        defer { _ = try? runProcess("/bin/rm", ["-rf", directory]) }
        let listener = try NotifySocketForTests(path: directory + "/notify.sock")
        let notifier = try #require(try SystemdNotifier.parse(["NOTIFY_SOCKET": listener.notifySocket], pid: 1))
        try notifier.send("READY=1\nSTATUS=wgmesh0: 2 peers, 2 ok")
        try notifier.send("WATCHDOG=1")
        #expect(await listener.receive() == "READY=1\nSTATUS=wgmesh0: 2 peers, 2 ok")
        #expect(await listener.receive() == "WATCHDOG=1")
    }

    @Test func sendsToAnAbstractSocket() async throws {
        let name = "wgmesh-notify-test-\(getpid())-abstract"
        let listener = try NotifySocketForTests(abstract: name)
        let notifier = try #require(try SystemdNotifier.parse(["NOTIFY_SOCKET": "@" + name], pid: 1))
        try notifier.send("STOPPING=1")
        #expect(await listener.receive() == "STOPPING=1")
    }

    @Test func missingSocketIsAnErrorNamingIt() throws {
        let directory = try makeTemporaryDirectory(prefix: "wgmesh-notify")
        defer { _ = try? runProcess("/bin/rm", ["-rf", directory]) }
        let notifier = SystemdNotifier(address: .path(directory + "/gone.sock"))
        #expect {
            try notifier.send("READY=1")
        } throws: { error in
            guard let error = error as? AgentError else { return false }
            return error.code == .systemd && error.reason.contains(directory + "/gone.sock")
        }
    }

    /// Children (wireguard-go) must not inherit the variables.
    @Test func takingTheVariablesRemovesThem() throws {
        setenv("NOTIFY_SOCKET", "@wgmesh-take-\(getpid())", 1)
        setenv("WATCHDOG_USEC", "3000000", 1)
        setenv("WATCHDOG_PID", "\(getpid())", 1)
        let notifier = try #require(try SystemdNotifier.takeFromEnvironment())
        #expect(notifier.address == .abstract("wgmesh-take-\(getpid())"))
        #expect(notifier.watchdogInterval == .seconds(3))
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"] {
            #expect(getenv(name) == nil, "\(name) is still set")
        }
        #expect(try SystemdNotifier.takeFromEnvironment() == nil)
    }
}
