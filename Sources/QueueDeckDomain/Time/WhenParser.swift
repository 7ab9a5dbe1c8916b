/// Parses the times agents type for postponing: `2h`, `30m`, `1h30m`, `3d`, `1w`, `tomorrow 9:00`,
/// `today 17:00`, `mon`, `friday 14:30`, `16:00`, `2026-11-25`, `2026-11-25T09:00`, `2026-11-25 09:00`,
/// and ISO 8601 with `Z` or an offset. Local times are in the desk's time zone.
public enum WhenParser {
    public static let help = "expected a duration (2h, 30m, 1h30m, 3d), tomorrow 9:00, a weekday (mon), 16:00, or a date (2026-11-25, 2026-11-25T09:00)"

    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    static let weekdayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// With `past`, a duration counts back from now and words that name no day pick the latest
    /// moment before now instead of the next one (`2h` ago, `16:00` today's or yesterday's, `mon`
    /// last Monday): time travel and report periods look back.
    /// An absolute time only: an ISO 8601 date and time (`2026-11-24T09:00:00Z`, with an offset or
    /// taken as UTC). Outside systems send these; a relative word ("2h") from them is a mistake.
    public static func absolute(_ input: String) -> Instant? {
        let text = input.trimmingWhitespace()
        guard text.count > 10, CivilDate(iso: Substring(text.prefix(10))) != nil else { return nil }
        return try? parse(text, now: Instant(ms: 0), calendar: .alwaysOpen)
    }

    public static func parse(_ input: String, now: Instant, calendar cal: BusinessCalendar, past: Bool = false) throws(DomainError) -> Instant {
        let text = input.trimmingWhitespace().lowercased()
        let fail = DomainError.invalidValue(field: "time", value: input, reason: help)
        guard !text.isEmpty else { throw fail }
        var words = text.split(separator: " ").map(String.init)
        if words.first == "in" { words.removeFirst() }
        if words.count == 1, let d = duration(words[0]) { return past ? now - d : now + d }

        let today = cal.localDay(of: now)
        // A date, with an optional time (space or T), or a full ISO 8601 instant.
        if let first = words.first, first.count >= 10, let date = CivilDate(iso: Substring(first.prefix(10))) {
            var rest = String(first.dropFirst(10))
            if rest.hasPrefix("t") { rest.removeFirst() } else if !rest.isEmpty { throw fail }
            if words.count == 2, rest.isEmpty { rest = words[1] } else if words.count > 2 { throw fail }
            if rest.isEmpty { return cal.instant(day: date.dayNumber, minute: cal.openingMinute(onDay: date.dayNumber)) }
            var zone: Int? = nil
            if rest.hasSuffix("z") { zone = 0; rest.removeLast() }
            else if let sign = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
                guard let off = minutes(of: String(rest[rest.index(after: sign)...])) else { throw fail }
                zone = (rest[sign] == "-" ? -off : off) * 60
                rest = String(rest[..<sign])
            }
            // Fractions of a second (`09:00:00.123Z`, as JavaScript's toISOString writes): milliseconds kept.
            var fraction: Int64 = 0
            if let mark = rest.firstIndex(where: { $0 == "." || $0 == "," }) {
                let digits = rest[rest.index(after: mark)...]
                guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ ("0"..."9").contains($0) }),
                      rest[..<mark].filter({ $0 == ":" }).count == 2 else { throw fail }
                fraction = Int64(String(digits.prefix(3)).padding(toLength: 3, withPad: "0", startingAt: 0)) ?? 0
                rest = String(rest[..<mark])
            }
            guard let (minute, seconds) = clock(rest) else { throw fail }
            if let zone {
                let sec = Int64(date.dayNumber) * 86400 + Int64(minute * 60 + seconds) - Int64(zone)
                return Instant(ms: sec * 1000 + fraction)
            }
            return cal.instant(day: date.dayNumber, minute: minute) + .seconds(Int64(seconds)) + Millis(fraction)
        }

        var day: Int? = nil
        var timeWord: String? = nil
        switch words.count {
        case 1: if clock(words[0]) != nil { timeWord = words[0] } else { day = dayWord(words[0], today: today, past: past) }
        case 2: day = dayWord(words[0], today: today, past: past); timeWord = words[1]
        default: throw fail
        }
        if words.count == 2 || timeWord == nil { guard day != nil else { throw fail } }
        if let tw = timeWord {
            guard let (minute, _) = clock(tw) else { throw fail }
            if let d = day { return cal.instant(day: d, minute: minute) }
            let t = cal.instant(day: today, minute: minute)
            if past { return t <= now ? t : cal.instant(day: today - 1, minute: minute) }
            return t > now ? t : cal.instant(day: today + 1, minute: minute)
        }
        guard let d = day else { throw fail }
        return cal.instant(day: d, minute: cal.openingMinute(onDay: d))
    }

    static func dayWord(_ w: String, today: Int, past: Bool) -> Int? {
        if w == "today" { return today }
        if w == "tomorrow" { return today + 1 }
        if w == "yesterday" { return today - 1 }
        let idx = weekdays.firstIndex(of: w) ?? weekdayNames.firstIndex(of: w)
        guard let target = idx else { return nil }
        if past {
            let back = (CivilDate.weekday(ofDay: today) - target + 7) % 7
            return today - (back == 0 ? 7 : back)
        }
        var ahead = (target - CivilDate.weekday(ofDay: today) + 7) % 7
        if ahead == 0 { ahead = 7 }
        return today + ahead
    }

    /// `2h`, `30m`, `1h30m`, `45s`, `3d`, `1w`.
    public static func duration(_ w: String) -> Millis? {
        var total: Millis = 0
        var number: Int64? = nil
        var sawUnit = false
        for ch in w {
            if let v = ch.wholeNumberValue, ch.isASCII {
                let (m, o1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                guard !o1, m < 1_000_000 else { return nil }
                number = m + Int64(v)
                continue
            }
            guard let n = number else { return nil }
            switch ch {
            case "s": total += .seconds(n)
            case "m": total += .minutes(n)
            case "h": total += .hours(n)
            case "d": total += .days(n)
            case "w": total += .days(7 * n)
            default: return nil
            }
            number = nil
            sawUnit = true
        }
        guard sawUnit, number == nil, total > 0 else { return nil }
        return total
    }

    /// `9`, `9:00`, `09:00:30`, `9am`, `2:30pm` → minutes after midnight and seconds.
    static func clock(_ w: String) -> (Int, Int)? {
        var s = Substring(w)
        var pm: Bool? = nil
        if s.hasSuffix("am") { pm = false; s = s.dropLast(2) } else if s.hasSuffix("pm") { pm = true; s = s.dropLast(2) }
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isASCII) }),
              var h = Int(parts[0]) else { return nil }
        if parts.count == 1 && pm == nil { return nil }
        let m = parts.count > 1 ? Int(parts[1]) : 0
        let sec = parts.count > 2 ? Int(parts[2]) : 0
        guard let m, let sec, (0..<60).contains(m), (0..<60).contains(sec) else { return nil }
        if let pm {
            guard (1...12).contains(h) else { return nil }
            h = h % 12 + (pm ? 12 : 0)
        }
        guard (0..<24).contains(h) else { return nil }
        return (h * 60 + m, sec)
    }

    /// A UTC offset: `02:00`, `0200` or `02`.
    static func minutes(of hhmm: String) -> Int? {
        let p = hhmm.split(separator: ":")
        if p.count == 2, let h = Int(p[0]), let m = Int(p[1]), h < 24, m < 60 { return h * 60 + m }
        if p.count == 1, hhmm.count == 4, let v = Int(hhmm) { return v / 100 * 60 + v % 100 }
        if p.count == 1, hhmm.count == 2, let h = Int(hhmm) { return h * 60 }
        return nil
    }
}
