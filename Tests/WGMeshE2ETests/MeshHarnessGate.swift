import Glibc

/// The end-to-end suites build meshes of network namespaces: root only, and
/// only when asked (scripts/test phase 4c sets WGMESH_E2E_TESTS=1).
enum MeshHarnessGate {
    static var enabled: Bool { getenv("WGMESH_E2E_TESTS") != nil && geteuid() == 0 }
}
