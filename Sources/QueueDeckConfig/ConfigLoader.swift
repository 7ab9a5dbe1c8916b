import Foundation
import QueueDeckDomain
import QueueDeckResources
import Yams

/// Loads the desk configuration: the embedded defaults, with any top-level section replaced by the
/// team file's. Every value is validated; mistakes name file, line and column.
public enum ConfigLoader {
    public static let defaultsName = "defaults.yaml (built in)"
    /// The built-in defaults, as text: a starting point for a team file.
    public static var defaultsText: String { QueueDeckResources.defaultsYAML }
    static let sectionNames = ["timezone", "business_hours", "holidays", "auto_close_after", "unknown_users",
                               "departments", "roles", "agents", "contact_groups", "sla", "canned_responses", "wall", "intake",
                               "keys"]

    /// Where the team file is looked for, first match wins.
    public static func teamFilePath(explicit: String?, journalPath: String, environment env: [String: String]) -> String? {
        if let explicit { return explicit }
        if let e = env["QDECK_CONFIG"], !e.isEmpty { return e }
        let beside = folder(of: journalPath) + "/team.yaml"
        if FileManager.default.fileExists(atPath: beside) { return beside }
        let xdg = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (homeDirectory(env) + "/.config")
        let user = xdg + "/qdeck/team.yaml"
        return FileManager.default.fileExists(atPath: user) ? user : nil
    }

    /// $HOME when it is set to a folder, else the home the system has for this user: never a
    /// fallback such as /tmp, where a stranger could have planted a team file.
    public static func homeDirectory(_ env: [String: String]) -> String {
        if let h = env["HOME"], h.hasPrefix("/") { return h }
        if let pw = getpwuid(geteuid()), let d = pw.pointee.pw_dir { return String(cString: d) }
        return "/nonexistent"
    }

    /// The folder a file is in ("." for a bare file name). Plain string work: Foundation's
    /// `deletingLastPathComponent` traps on some short relative paths (seen with "j").
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// A file's name without its folder.
    public static func fileName(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    /// The rules from the defaults plus an optional team file.
    public static func load(teamFile: String?) throws(ConfigErrors) -> DeskRules {
        var sections = try sectionsOf(QueueDeckResources.defaultsYAML, file: defaultsName)
        if let teamFile {
            if let why = TrustedPath.problem(file: teamFile) {
                throw ConfigErrors(errors: [ConfigError(file: teamFile, line: 0, column: 0, message: "not read: \(why)")])
            }
            guard let data = FileManager.default.contents(atPath: teamFile) else {
                throw ConfigErrors(errors: [ConfigError(file: teamFile, line: 0, column: 0, message: "cannot read the team file")])
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ConfigErrors(errors: [ConfigError(file: teamFile, line: 0, column: 0, message: "not UTF-8 text")])
            }
            for (k, v) in try sectionsOf(text, file: teamFile) { sections[k] = v }
        }
        var b = RulesBuilder(sections: sections)
        let rules = b.build()
        if !b.errors.isEmpty { throw ConfigErrors(errors: b.errors) }
        return rules
    }

    static func sectionsOf(_ text: String, file: String) throws(ConfigErrors) -> [String: Located] {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw ConfigErrors(errors: [yamlError(error, file: file)])
        }
        guard let root else { return [:] }
        guard case .mapping(let m) = root else {
            throw ConfigErrors(errors: [ConfigError(file: file, line: root.mark?.line ?? 1, column: root.mark?.column ?? 1,
                                                    message: "the file must be a mapping of sections (\(sectionNames.joined(separator: ", ")))")])
        }
        var out: [String: Located] = [:]
        var errors: [ConfigError] = []
        for (k, v) in m {
            let key = k.string ?? ""
            if sectionNames.contains(key) {
                out[key] = Located(node: v, file: file)
            } else {
                errors.append(ConfigError(file: file, line: k.mark?.line ?? 0, column: k.mark?.column ?? 0,
                                          message: "unknown section '\(key)'; sections are \(sectionNames.joined(separator: ", "))"))
            }
        }
        if !errors.isEmpty { throw ConfigErrors(errors: errors) }
        return out
    }

    static func yamlError(_ error: Error, file: String) -> ConfigError {
        if let y = error as? YamlError {
            switch y {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                return ConfigError(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)")
            case .reader(let problem, let offset, _, _):
                return ConfigError(file: file, line: 0, column: offset ?? 0, message: "YAML: \(problem)")
            default: break
            }
        }
        return ConfigError(file: file, line: 0, column: 0, message: "YAML: \(error)")
    }
}

/// A YAML node and the file it came from.
struct Located {
    var node: Node
    var file: String
}
