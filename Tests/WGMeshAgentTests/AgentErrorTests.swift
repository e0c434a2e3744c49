import Testing
import WGMeshAgent

@Suite struct AgentErrorTests {
    @Test func reasonIsTheDescription() {
        let error = AgentError(.invalidConfiguration, "--listen-port 0 is not a port: give 1-65535")
        #expect("\(error)" == "--listen-port 0 is not a port: give 1-65535")
        #expect(error.code == .invalidConfiguration)
    }
}
