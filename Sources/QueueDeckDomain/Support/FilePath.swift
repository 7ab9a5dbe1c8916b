/// Plain string work on file paths, in one place for every library (Foundation's
/// `deletingLastPathComponent` traps on some short relative paths, seen with "j").
public enum FilePath {
    /// The folder a file is in ("." for a bare name, "/" for a file at the root).
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last part of a path.
    public static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
