import Foundation
import Yams

/// The one door through which configuration YAML is read and composed: trusted files only, a size
/// limit, and a stack deep enough for whatever nesting the text can hold (a team file nested 5,000
/// levels deep once overflowed the stack of every command).
enum YAMLSource {
    static let maxBytes = 4 << 20
    /// Stack allowed per possible nesting level: nearly three times the most measured (2,976 bytes, a
    /// mapping level in a release build).
    static let stackPerLevel = 8 << 10
    static let maxLevels = 10_000

    /// A team or key file's text, or why it is not read.
    static func read(_ file: String, desk: String? = nil) -> Result<String, ConfigError> {
        func refuse(_ why: String) -> Result<String, ConfigError> { .failure(ConfigError(file: file, line: 0, column: 0, message: why)) }
        if let why = TrustedPath.problem(file: file, desk: desk) { return refuse("not read: \(why)") }
        guard let data = FileManager.default.contents(atPath: file) else { return refuse("cannot read the file") }
        guard data.count <= maxBytes else { return refuse("\(data.count) bytes; a configuration file may have at most \(maxBytes)") }
        guard let text = String(data: data, encoding: .utf8) else { return refuse("not UTF-8 text") }
        return .success(text)
    }

    /// The most nesting levels `text` could hold, however it is quoted: every flow collection needs
    /// its own `[` or `{`, and every block collection its own column in the run of spaces and
    /// indicators (`-`, `?`, `:`) that starts its line.
    static func levelBound(_ text: String) -> (levels: Int, line: Int) {
        var openers = 0, deepest = 0, prefix = 0, inPrefix = true, line = 1, deepestLine = 1
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                openers += 1
                inPrefix = false
            case UInt8(ascii: "\n"):
                if prefix > deepest { (deepest, deepestLine) = (prefix, line) }
                (prefix, inPrefix, line) = (0, true, line + 1)
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
                if inPrefix { prefix += 1 }
            default:
                inPrefix = false
            }
        }
        if prefix > deepest { (deepest, deepestLine) = (prefix, line) }
        return (openers + deepest + 1, openers > deepest ? 1 : deepestLine)
    }

    /// Runs `body` (which composes and reads `texts`) on a stack sized for their nesting.
    static func withStack<T>(for texts: [(text: String, file: String)], _ body: () throws(ConfigErrors) -> T) throws(ConfigErrors) -> T {
        var levels = 0
        for (text, file) in texts {
            let bound = levelBound(text)
            guard bound.levels <= maxLevels else {
                throw ConfigErrors(errors: [ConfigError(file: file, line: bound.line, column: 1,
                    message: "could nest \(bound.levels) levels deep (counting every [ and { and the deepest indentation); the limit is \(maxLevels)")])
            }
            levels += bound.levels
        }
        let outcome = DeepStack.run(stackBytes: (8 << 20) + levels * stackPerLevel) { () -> Result<T, ConfigErrors> in
            do throws(ConfigErrors) { return .success(try body()) } catch { return .failure(error) }
        }
        guard let outcome else {
            throw ConfigErrors(errors: [ConfigError(file: texts.last?.file ?? "", line: 0, column: 0,
                message: "no thread with a stack for \(levels) nesting levels could be made; simplify the file")])
        }
        return try outcome.get()
    }

    /// The document's root node; a syntax error names its place.
    static func compose(_ text: String, file: String) throws(ConfigErrors) -> Node? {
        do { return try Yams.compose(yaml: text) } catch {
            throw ConfigErrors(errors: [yamlError(error, file: file)])
        }
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
