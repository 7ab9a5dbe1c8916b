import Foundation
import Yams

/// One line of a `keys:` section: an action's name and the keys the user gives it, with the place.
/// The console resolves the names (it owns the key table) and reports what it cannot use.
public struct KeyBindingSetting: Sendable, Equatable {
    public var action: String
    public var keys: [String]
    public var file: String
    public var line: Int
    public var column: Int
    public var place: String { "\(file):\(line):\(column)" }
}

/// Reads `keys:` sections: the team file's, then the user's own
/// (`$XDG_CONFIG_HOME/qdeck/keys.yaml`), which wins. Each entry is `action: KEY` or
/// `action: [KEY, KEY]`.
public enum KeyBindingsFile {
    /// The user's own key file, if there is one.
    public static func userPath(environment env: [String: String]) -> String? {
        let xdg = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (ConfigLoader.homeDirectory(env) + "/.config")
        let path = xdg + "/qdeck/keys.yaml"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The settings of the team file (if given) and the user's file (if given), in that order.
    public static func load(teamFile: String?, userFile: String?, desk: String? = nil) throws(ConfigErrors) -> [KeyBindingSetting] {
        var errors: [ConfigError] = []
        var texts: [(text: String, file: String)] = []
        for file in [teamFile, userFile].compactMap({ $0 }) {
            switch YAMLSource.read(file, desk: file == teamFile ? desk : nil) {
            case .success(let text): texts.append((text, file))
            case .failure(let e): errors.append(e)
            }
        }
        let out = try YAMLSource.withStack(for: texts) { () -> [KeyBindingSetting] in
            settings(of: texts, userFile: userFile, errors: &errors)
        }
        if !errors.isEmpty { throw ConfigErrors(errors: errors) }
        return out
    }

    /// The settings of a team file's text (its `keys:` section), already read.
    public static func load(teamText: String, file: String = "team.yaml") throws(ConfigErrors) -> [KeyBindingSetting] {
        var errors: [ConfigError] = []
        let texts = [(text: teamText, file: file)]
        let out = try YAMLSource.withStack(for: texts) { () -> [KeyBindingSetting] in
            settings(of: texts, userFile: nil, errors: &errors)
        }
        if !errors.isEmpty { throw ConfigErrors(errors: errors) }
        return out
    }

    private static func settings(of texts: [(text: String, file: String)], userFile: String?, errors: inout [ConfigError]) -> [KeyBindingSetting] {
        var out: [KeyBindingSetting] = []
        for (text, file) in texts {
            let root: Node?
            do throws(ConfigErrors) { root = try YAMLSource.compose(text, file: file) } catch {
                errors.append(contentsOf: error.errors)
                continue
            }
            guard case .mapping(let top)? = root else { continue }
            // The team file has a keys: section; the user's own file may be just the mapping.
            guard let section = top["keys"] ?? (file == userFile ? root : nil) else { continue }
            guard case .mapping(let m) = section else {
                errors.append(ConfigError(file: file, line: section.mark?.line ?? 0, column: section.mark?.column ?? 0,
                                          message: "keys must map an action to a key or a list of keys (reply: R)"))
                continue
            }
            for (k, v) in m {
                let place = (line: k.mark?.line ?? 0, column: k.mark?.column ?? 0)
                var keys: [String] = []
                switch v {
                case .scalar(let s): keys = [s.string]
                case .sequence(let seq): keys = seq.compactMap(\.string)
                default:
                    errors.append(ConfigError(file: file, line: place.line, column: place.column,
                                              message: "keys: \(k.string ?? "") needs a key or a list of keys"))
                    continue
                }
                out.append(KeyBindingSetting(action: k.string ?? "", keys: keys, file: file, line: place.line, column: place.column))
            }
        }
        return out
    }
}
