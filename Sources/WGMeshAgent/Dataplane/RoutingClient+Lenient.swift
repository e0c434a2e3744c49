import WGMeshCore
import WGMeshRouting

// Plain do/catch only: Swift 6.3.1 crashes or hangs compiling `catch let e as
// RoutingError where ...` around typed-throwing calls in loops.
extension RoutingClient {
    /// The link called `name`, or nil when there is none.
    func linkIfPresent(named name: InterfaceName) throws(RoutingError) -> Link? {
        do {
            return try link(named: name)
        } catch {
            if error.code == .noSuchLink { return nil }
            throw error
        }
    }

    /// Runs `change`; returns false when it failed with `code` (a route
    /// already there, a rule already gone), rethrows anything else.
    func succeeds(unless code: RoutingError.Code, _ change: () throws(RoutingError) -> Void) throws(RoutingError) -> Bool {
        do {
            try change()
            return true
        } catch {
            if error.code == code { return false }
            throw error
        }
    }
}
