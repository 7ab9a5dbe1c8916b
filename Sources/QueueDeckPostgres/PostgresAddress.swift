/// Where a PostgreSQL journal is: a libpq-style URI (`postgresql://user@host:port/db?sslmode=…`,
/// `host=/socket/dir` for a Unix socket) with the `PG*` environment variables filling what it
/// leaves out, as libpq does. Parsing is pure; nothing here connects. Messages never repeat a
/// password.
public struct PostgresAddress: Equatable, Sendable {
    public enum Endpoint: Equatable, Sendable {
        /// A Unix socket folder (the socket is `FOLDER/.s.PGSQL.PORT`).
        case socket(folder: String, port: Int)
        case tcp(host: String, port: Int)
    }

    public enum SSLMode: String, Equatable, Sendable, CaseIterable {
        case disable, allow, prefer, require, verifyCA = "verify-ca", verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode

    /// `postgresql://` and `postgres://`, as libpq takes them.
    public static func isAddress(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    public init(endpoint: Endpoint, user: String, password: String?, database: String, sslMode: SSLMode) {
        self.endpoint = endpoint
        self.user = user
        self.password = password
        self.database = database
        self.sslMode = sslMode
    }

    /// The same database as another login (a test's second agent; `log copy` as an administrator).
    public func `as`(_ role: String) -> PostgresAddress {
        var a = self
        a.user = role
        a.password = nil
        return a
    }

    /// `user`: the operating system user, libpq's last resort for the role name.
    public init(_ text: String, environment env: [String: String], user osUser: String) throws(Problem) {
        guard let schemeEnd = text.range(of: "://"), Self.isAddress(text) else {
            throw Problem(description: "not a PostgreSQL address (postgresql://…)")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        var query: [String: String] = [:]
        if let q = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: q)...].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                guard kv.count == 2, let k = Self.decode(kv[0]), let v = Self.decode(kv[1]) else {
                    throw Problem(description: "the address's parameter '\(Self.shown(pair))' is not name=value")
                }
                query[k] = v
            }
            rest = rest[..<q]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var userPart: Substring?
        if let at = rest.lastIndex(of: "@") {
            userPart = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        var host: String?, port: String?
        if !rest.isEmpty {
            guard !rest.contains(",") else { throw Problem(description: "several hosts in one address are not supported; name one") }
            if rest.hasPrefix("[") , let close = rest.firstIndex(of: "]") {
                host = String(rest[rest.index(after: rest.startIndex)..<close])
                let after = rest[rest.index(after: close)...]
                if after.hasPrefix(":") { port = String(after.dropFirst()) }
            } else if let colon = rest.lastIndex(of: ":") {
                host = Self.decode(rest[..<colon])
                port = String(rest[rest.index(after: colon)...])
            } else {
                host = Self.decode(rest)
            }
        }
        var user: String?, password: String?
        if let u = userPart {
            if let colon = u.firstIndex(of: ":") {
                user = Self.decode(u[..<colon])
                password = Self.decode(u[u.index(after: colon)...])
            } else {
                user = Self.decode(u)
            }
        }
        func pick(_ fromURI: String?, _ param: String, _ envName: String) -> String? {
            [query[param], fromURI, env[envName]].compactMap { $0 }.first { !$0.isEmpty }
        }
        let chosenHost = pick(host, "host", "PGHOST") ?? "/var/run/postgresql"
        let portText = pick(port, "port", "PGPORT") ?? "5432"
        guard let portNumber = Int(portText), (1...65535).contains(portNumber) else {
            throw Problem(description: "port '\(Self.shown(portText))' is not a number from 1 to 65535")
        }
        self.user = pick(user, "user", "PGUSER") ?? osUser
        self.password = pick(password, "password", "PGPASSWORD")
        database = pick(Self.decode(path), "dbname", "PGDATABASE") ?? self.user
        let mode = pick(nil, "sslmode", "PGSSLMODE") ?? "prefer"
        guard let m = SSLMode(rawValue: mode) else {
            throw Problem(description: "sslmode '\(Self.shown(mode))' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        sslMode = m
        endpoint = chosenHost.hasPrefix("/") ? .socket(folder: chosenHost, port: portNumber) : .tcp(host: chosenHost, port: portNumber)
        for (name, value) in [("user", self.user), ("database", database)] where value.utf8.count > 63 || value.contains("\u{0}") {
            throw Problem(description: "the \(name) name is longer than PostgreSQL's 63 bytes or holds a NUL")
        }
    }

    /// The name this host keeps the journal's local companions under (a queue_log read position):
    /// the database, host and port, in characters any file system takes.
    public var localName: String {
        let place = switch endpoint {
        case .socket(_, let port): "socket-\(port)"
        case .tcp(let host, let port): "\(host)-\(port)"
        }
        let safe = "postgresql-\(database)-\(place)".unicodeScalars.map { s -> Character in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || "._-".unicodeScalars.contains(s)) ? Character(s) : "_"
        }
        return String(safe.prefix(120)) + ".journal"
    }

    /// How messages name it: never with the password.
    public var shown: String {
        switch endpoint {
        case .socket(let folder, let port): "postgresql:///\(database)?host=\(folder)&port=\(port)&user=\(user)"
        case .tcp(let host, let port): "postgresql://\(user)@\(host):\(port)/\(database)"
        }
    }

    static func decode(_ s: Substring) -> String? {
        var out: [UInt8] = []
        var bytes = Array(s.utf8)[...]
        while let b = bytes.popFirst() {
            if b == UInt8(ascii: "%") {
                guard bytes.count >= 2, let v = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                out.append(v)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(b)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    /// Text from the address in a message: short, printable.
    static func shown(_ s: some StringProtocol) -> String {
        String(s.unicodeScalars.prefix(40).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    }
}
