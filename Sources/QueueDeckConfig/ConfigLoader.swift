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
                               "keys", "journal", "rules", "distribution", "auto_reply_period"]

    /// Where the team file is looked for, first match wins.
    public static func teamFilePath(explicit: String?, journalPath: String, environment env: [String: String]) -> String? {
        if let explicit { return explicit }
        if let e = env["QDECK_CONFIG"], !e.isEmpty { return e }
        let beside = FilePath.folder(of: journalPath) + "/team.yaml"
        if FileManager.default.fileExists(atPath: beside) { return beside }
        let xdg = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (homeDirectory(env) + "/.config")
        let user = xdg + "/qdeck/team.yaml"
        return FileManager.default.fileExists(atPath: user) ? user : nil
    }

    /// The journal a team file names (`journal: postgresql://…` or a path), for a host where neither
    /// --journal nor QDECK_JOURNAL says: the team file given (--config, QDECK_CONFIG) or this user's
    /// ($XDG_CONFIG_HOME/qdeck/team.yaml), never one beside a journal (that needs the journal first).
    /// Nil when there is none or it names none; a file that is not trusted or does not parse says
    /// nothing here (the rules' loading reports it).
    public static func journal(explicitTeamFile explicit: String?, environment env: [String: String]) -> String? {
        let xdg = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (homeDirectory(env) + "/.config")
        let candidates = [explicit, env["QDECK_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }, xdg + "/qdeck/team.yaml"].compactMap { $0 }
        guard let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }),
              case .success(let text) = YAMLSource.read(file),
              let sections = try? YAMLSource.withStack(for: [(text, file)], { () throws(ConfigErrors) in try sectionsOf(text, file: file) }),
              let node = sections["journal"]?.node, case .scalar(let scalar) = node, !scalar.string.isEmpty else { return nil }
        return scalar.string
    }

    /// $HOME when it is set to a folder, else the home the system has for this user: never a
    /// fallback such as /tmp, where a stranger could have planted a team file.
    public static func homeDirectory(_ env: [String: String]) -> String {
        if let h = env["HOME"], h.hasPrefix("/") { return h }
        if let pw = getpwuid(geteuid()), let d = pw.pointee.pw_dir { return String(cString: d) }
        return "/nonexistent"
    }

    /// The rules from the defaults plus an optional team file.
    /// `desk`: the journal the rules are for; its owner (or root) must own the team file.
    public static func load(teamFile: String?, desk: String? = nil) throws(ConfigErrors) -> DeskRules {
        guard let teamFile else { return try load(teamText: nil) }
        switch YAMLSource.read(teamFile, desk: desk) {
        case .success(let text): return try load(teamText: text, file: teamFile)
        case .failure(let e): throw ConfigErrors(errors: [e])
        }
    }

    /// The rules from the defaults plus a team file's text (already read from `file`).
    public static func load(teamText: String?, file: String = "team.yaml") throws(ConfigErrors) -> DeskRules {
        var texts = [(text: QueueDeckResources.defaultsYAML, file: defaultsName)]
        if let teamText { texts.append((teamText, file)) }
        // The YAML trees live and die on the deep stack: composing and freeing them both recurse.
        return try YAMLSource.withStack(for: texts) { () throws(ConfigErrors) -> DeskRules in
            var sections: [String: Located] = [:]
            for (text, file) in texts {
                for (k, v) in try sectionsOf(text, file: file) { sections[k] = v }
            }
            var b = RulesBuilder(sections: sections)
            let rules = b.build()
            if !b.errors.isEmpty { throw ConfigErrors(errors: blamingTheTeamFile(b.errors, sections: sections)) }
            return rules
        }
    }

    /// A built-in section can only break because the team file replaced one it relies on (its
    /// departments, say): the mistake is the team file's, so it points there, naming the built-in
    /// line that no longer holds and what to do.
    static func blamingTheTeamFile(_ errors: [ConfigError], sections: [String: Located]) -> [ConfigError] {
        let replaced = sections.filter { $0.value.file != defaultsName }.sorted { ($0.value.node.mark?.line ?? 0) < ($1.value.node.mark?.line ?? 0) }
        // Sections other sections name entries of come first: they are what a built-in one relies on.
        let referenced = ["departments", "roles", "contact_groups", "canned_responses"]
        guard let first = replaced.first(where: { referenced.contains($0.key) }) ?? replaced.first else { return errors }
        let builtIn = sections.filter { $0.value.file == defaultsName }
            .map { (name: $0.key, line: Self.keyLine(of: $0.value)) }.sorted { $0.line < $1.line }
        var out = errors.filter { $0.file != defaultsName }
        var bySection: [(section: String, errors: [ConfigError])] = []
        for e in errors where e.file == defaultsName {
            let section = builtIn.last { $0.line <= e.line }?.name ?? "?"
            if let i = bySection.firstIndex(where: { $0.section == section }) { bySection[i].errors.append(e) } else { bySection.append((section, [e])) }
        }
        for (section, found) in bySection {
            let shown = found.prefix(3).map(\.message).joined(separator: "; ") + (found.count > 3 ? "; and \(found.count - 3) more" : "")
            let lines = Set(found.map(\.line)).sorted()
            let place = lines.count == 1 ? "line \(lines[0])" : "lines \(lines.first!)–\(lines.last!)"
            out.append(ConfigError(file: first.value.file, line: first.value.node.mark?.line ?? 0, column: first.value.node.mark?.column ?? 0,
                                   message: "this file's \(first.key) section replaces the built-in one, and the built-in \(section) section (\(defaultsName), \(place)) no longer fits it: \(shown); define \(section) in this file too"))
        }
        return out
    }

    static func sectionsOf(_ text: String, file: String) throws(ConfigErrors) -> [String: Located] {
        let root = try YAMLSource.compose(text, file: file)
        guard let root else { return [:] }
        guard case .mapping(let m) = root else {
            throw ConfigErrors(errors: [ConfigError(file: file, line: root.mark?.line ?? 1, column: root.mark?.column ?? 1,
                                                    message: "the file must be a mapping of sections (\(sectionNames.joined(separator: ", ")))")])
        }
        var out: [String: Located] = [:]
        var errors: [ConfigError] = []
        for (k, v) in m {
            let key = k.string ?? ""
            if out[key] != nil {
                // YAML would keep the last silently: a second `distribution:` dropped the first.
                errors.append(ConfigError(file: file, line: k.mark?.line ?? 0, column: k.mark?.column ?? 0,
                                          message: "section '\(key)' is given twice (the first at line \(out[key]?.node.mark?.line ?? 0)); one would replace the other"))
            } else if sectionNames.contains(key) {
                out[key] = Located(node: v, file: file)
            } else {
                errors.append(ConfigError(file: file, line: k.mark?.line ?? 0, column: k.mark?.column ?? 0,
                                          message: "unknown section '\(key)'; sections are \(sectionNames.joined(separator: ", "))"))
            }
        }
        if !errors.isEmpty { throw ConfigErrors(errors: errors) }
        return out
    }

    /// The line of a section's key: its value's line, or the line before for a value on lines below.
    private static func keyLine(of s: Located) -> Int {
        guard let line = s.node.mark?.line else { return 0 }
        if case .scalar = s.node { return line }
        return max(1, line - 1)
    }
}

/// A YAML node and the file it came from.
struct Located {
    var node: Node
    var file: String
}
