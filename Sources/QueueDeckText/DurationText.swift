/// Compact durations for tables and status lines: `45s`, `12m`, `3h05`, `2d04h`.
public enum DurationText {
    public static func compact(milliseconds ms: Int64) -> String {
        let s = max(0, ms / 1000)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86400 { return "\(s / 3600)h\(two(s % 3600 / 60))" }
        return "\(s / 86400)d\(two(s % 86400 / 3600))h"
    }
}
