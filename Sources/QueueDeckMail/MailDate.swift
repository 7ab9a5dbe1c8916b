/// RFC 5322 dates (`Tue, 4 Jun 2002 21:46:59 -0400`, obsolete zones and two-digit years included)
/// to milliseconds since 1970. nil when the header does not parse.
public enum MailDate {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let zones: [String: Int] = ["ut": 0, "gmt": 0, "z": 0, "utc": 0, "est": -300, "edt": -240, "cst": -360,
                                       "cdt": -300, "mst": -420, "mdt": -360, "pst": -480, "pdt": -420]

    public static func parse(_ raw: String) -> Int64? {
        let cleaned = MailAddress.stripComments(raw).0.replacingComma()
        var tokens = cleaned.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }
        if let first = tokens.first, first.count >= 3, first.allSatisfy({ $0.isLetter }), !months.contains(String(first.prefix(3))) { tokens.removeFirst() }
        guard tokens.count >= 4 else { return nil }
        var day: Int?, month: Int?, year: Int?
        var idx = 0
        // "4 jun 2002" or "jun 4 2002"
        if let d = Int(tokens[0]) { day = d; month = months.firstIndex(of: String(tokens[1].prefix(3))); idx = 2 }
        else if let m = months.firstIndex(of: String(tokens[0].prefix(3))) { month = m; day = Int(tokens[1]); idx = 2 }
        guard idx < tokens.count, var y = Int(tokens[idx]) else { return nil }
        if y < 50 { y += 2000 } else if y < 1000 { y += 1900 }
        year = y
        idx += 1
        guard idx < tokens.count else { return nil }
        let hms = tokens[idx].split(separator: ":").map { Int($0) }
        guard hms.count >= 2, hms.allSatisfy({ $0 != nil }) else { return nil }
        idx += 1
        var offsetMinutes = 0
        if idx < tokens.count {
            let z = tokens[idx]
            if let sign = z.first, sign == "+" || sign == "-", z.count == 5, let v = Int(z.dropFirst()) {
                offsetMinutes = (v / 100 * 60 + v % 100) * (sign == "-" ? -1 : 1)
            } else if let v = zones[z] { offsetMinutes = v }
        }
        guard let day, let month, let year, (1...31).contains(day), let h = hms[0], let mi = hms[1], h < 24, mi < 60 else { return nil }
        let s = hms.count > 2 ? hms[2]! : 0
        guard s <= 60 else { return nil }
        let days = daysFromCivil(year, month + 1, day)
        let seconds = Int64(days) * 86_400 + Int64(h * 3600 + mi * 60 + s) - Int64(offsetMinutes * 60)
        return seconds * 1000
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension String {
    func replacingComma() -> String { String(map { $0 == "," ? " " : $0 }) }
}
