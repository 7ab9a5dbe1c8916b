import Foundation

/// Opening hours within one day, in minutes after local midnight: [start, end).
public struct MinuteRange: Hashable, Sendable {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}

/// Business hours with holidays, in the desk's time zone. SLA clocks count only business time.
/// Day arithmetic is done by hand on day numbers; the time zone is asked only for UTC offsets.
public struct BusinessCalendar: Sendable {
    public var timeZone: TimeZone
    /// Seven entries, Monday first; each sorted and non-overlapping.
    public var week: [[MinuteRange]]
    /// Local day numbers (days since 1970-01-01) on which the desk is closed.
    public var holidays: Set<Int>

    public init(timeZone: TimeZone, week: [[MinuteRange]], holidays: Set<Int> = []) {
        precondition(week.count == 7, "a week has seven days")
        self.timeZone = timeZone
        self.week = week
        self.holidays = holidays
        weekMillis = week.reduce(0) { $0 + $1.reduce(0) { $0 + Millis.minutes(Int64($1.end - $1.start)) } }
        alwaysOpen = holidays.isEmpty && week.allSatisfy { $0 == [MinuteRange(start: 0, end: 1440)] }
    }

    public static let alwaysOpen = BusinessCalendar(
        timeZone: TimeZone(identifier: "UTC")!, week: Array(repeating: [MinuteRange(start: 0, end: 1440)], count: 7))

    /// Monday to Friday, 9:00–17:00.
    public static func officeHours(timeZone: TimeZone) -> BusinessCalendar {
        let day = [MinuteRange(start: 540, end: 1020)]
        return BusinessCalendar(timeZone: timeZone, week: [day, day, day, day, day, [], []])
    }

    private let weekMillis: Millis
    private let alwaysOpen: Bool

    public func utcOffset(at t: Instant) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: t.seconds))
    }

    public func localDay(of t: Instant) -> Int {
        Int(floorDiv(floorDiv(t.ms, 1000) + Int64(utcOffset(at: t)), 86400))
    }

    /// Minutes after local midnight.
    public func localMinute(of t: Instant) -> Int {
        let local = floorDiv(t.ms, 1000) + Int64(utcOffset(at: t))
        return Int((local - floorDiv(local, 86400) * 86400) / 60)
    }

    /// Local midnight of the day `t` falls on: where "today" starts for the desk's figures.
    public func startOfDay(_ t: Instant) -> Instant { instant(day: localDay(of: t), minute: 0) }

    /// The instant of local day `day` at `minute` after midnight.
    public func instant(day: Int, minute: Int) -> Instant {
        let localSec = Int64(day) * 86400 + Int64(minute) * 60
        let guess = Instant(ms: (localSec - Int64(utcOffset(at: Instant(ms: localSec * 1000)))) * 1000)
        return Instant(ms: (localSec - Int64(utcOffset(at: guess))) * 1000)
    }

    func ranges(onDay d: Int) -> [MinuteRange] {
        holidays.contains(d) ? [] : week[CivilDate.weekday(ofDay: d)]
    }

    private func holidayWithin(_ d: Int, _ count: Int) -> Bool {
        holidays.isEmpty ? false : (d..<(d + count)).contains(where: holidays.contains)
    }

    /// Whether the desk is open at `t` (its hours that weekday, not a holiday).
    public func isOpen(at t: Instant) -> Bool {
        if alwaysOpen { return true }
        let minute = localMinute(of: t)
        return ranges(onDay: localDay(of: t)).contains { $0.start <= minute && minute < $0.end }
    }

    /// Business time between two instants.
    public func businessMillis(from a: Instant, to b: Instant) -> Millis {
        guard b > a else { return 0 }
        if alwaysOpen { return b - a }
        var total: Millis = 0
        var d = localDay(of: a)
        let last = localDay(of: b)
        while d <= last {
            // Whole weeks strictly inside (a, b) without holidays add the week's hours at once.
            if d > localDay(of: a) && d + 7 < last && !holidayWithin(d, 7) {
                total += weekMillis
                d += 7
                continue
            }
            for r in ranges(onDay: d) {
                let s = max(instant(day: d, minute: r.start), a)
                let e = min(instant(day: d, minute: r.end), b)
                if e > s { total += e - s }
            }
            d += 1
        }
        return total
    }

    /// The instant at which `amount` of business time has passed after `a`; distant future if the
    /// calendar never opens within ten years.
    public func advance(from a: Instant, by amount: Millis) -> Instant {
        if amount <= 0 { return a }
        if alwaysOpen { return a + amount }
        var remaining = amount
        let first = localDay(of: a)
        var d = first
        while d < first + 3660 {
            if d > first && weekMillis > 0 && remaining > weekMillis && !holidayWithin(d, 7) {
                remaining -= weekMillis
                d += 7
                continue
            }
            for r in ranges(onDay: d) {
                let s = max(instant(day: d, minute: r.start), a)
                let e = instant(day: d, minute: r.end)
                guard e > s else { continue }
                if remaining <= e - s { return s + remaining }
                remaining -= e - s
            }
            d += 1
        }
        return .distantFuture
    }

    /// The next opening or closing after `t` (within about a year); nil when always open or never.
    public func nextChange(after t: Instant) -> Instant? {
        if alwaysOpen { return nil }
        let first = localDay(of: t)
        for d in first..<(first + 370) {
            for r in ranges(onDay: d) {
                for m in [r.start, r.end] {
                    let at = instant(day: d, minute: m)
                    if at > t { return at }
                }
            }
        }
        return nil
    }

    /// The first opening minute of a day, or 9:00 when the desk is closed that day.
    public func openingMinute(onDay d: Int) -> Int { ranges(onDay: d).first?.start ?? 540 }
}
