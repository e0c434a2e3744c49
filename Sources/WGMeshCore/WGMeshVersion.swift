/// The release this build belongs to. `wgmesh --version` and
/// `wgmeshd --version` print it, wgmeshd logs it at start and exports it as
/// `wgmesh_build_info{version}`, so a mixed-version cluster can be told apart
/// during an upgrade. Raised with each release.
public enum WGMeshVersion {
    public static let current = "0.5.0"
}
