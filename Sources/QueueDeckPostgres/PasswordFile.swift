import Foundation

/// libpq's password file (`PGPASSFILE`, else `~/.pgpass`): `host:port:database:user:password` lines,
/// `*` matching anything, `\:` and `\\` escaped, `#` comments, the first match winning. As libpq
/// does, a file others may read or write is ignored (a password kept there would be anyone's), and
/// `localhost` also matches a connection over the Unix socket.
public enum PasswordFile {
    /// The password for `address` from the file the environment names, or nil (no file, no match,
    /// or a file open to others, which `warning` is told about).
    public static func password(for address: PostgresAddress, environment env: [String: String], home: String,
                                warning: (String) -> Void = { _ in }) -> String? {
        let path = env["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.pgpass"
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        guard st.st_mode & 0o077 == 0 else {
            warning("\(path): others may read or write it (mode \(String(st.st_mode & 0o777, radix: 8))); its passwords are not used (chmod 600 \(path))")
            return nil
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return find(in: text, for: address)
    }

    /// The first line of `text` that matches `address`.
    public static func find(in text: String, for address: PostgresAddress) -> String? {
        let (hosts, port): ([String], Int) = switch address.endpoint {
        case .socket(let folder, let port): (["localhost", folder], port)
        case .tcp(let host, let port): ([host], port)
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") { continue }
            let f = fields(line)
            guard f.count == 5 else { continue }
            func matches(_ field: String, _ values: [String]) -> Bool { field == "*" || values.contains(field) }
            if matches(f[0], hosts), matches(f[1], [String(port)]), matches(f[2], [address.database]), matches(f[3], [address.user]) {
                return f[4]
            }
        }
        return nil
    }

    /// A line's colon-separated fields, `\:` and `\\` unescaped; the password takes the rest of the line.
    static func fields(_ line: Substring) -> [String] {
        var out: [String] = []
        var current = ""
        var escaped = false
        for ch in line {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == ":" && out.count < 4 { out.append(current); current = ""; continue }
            current.append(ch)
        }
        out.append(current)
        return out
    }
}
