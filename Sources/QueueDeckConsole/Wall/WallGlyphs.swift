import QueueDeckDomain

/// The characters the wall draws with: block and box characters, or plain ASCII for terminals and
/// fonts without them. Every colour the wall uses is paired with one of these glyphs or words.
public struct WallGlyphs: Sendable {
    public var block: String
    public var spark: [String]
    public var up: String, down: String, flat: String
    public var ok: String, warn: String, alert: String
    public var rule: String
    public var available: String, busy: String, away: String, offline: String

    public static let unicode = WallGlyphs(block: "█", spark: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
                                           up: "↑", down: "↓", flat: "→", ok: "✓", warn: "▲", alert: "✖", rule: "─",
                                           available: "●", busy: "◐", away: "○", offline: "·")
    public static let ascii = WallGlyphs(block: "#", spark: ["_", ".", ":", "-", "=", "+", "*", "#"],
                                         up: "^", down: "v", flat: "=", ok: "+", warn: "!", alert: "X", rule: "-",
                                         available: "*", busy: "o", away: "-", offline: ".")

    public func arrow(_ d: TrendDirection) -> String {
        switch d {
        case .up: up
        case .down: down
        case .flat: flat
        }
    }

    /// The glyph and word of a level: readable without colour.
    public func badge(_ l: AlertLevel) -> String {
        switch l {
        case .ok: "\(ok) OK"
        case .warn: "\(warn) WARN"
        case .alert: "\(alert) ALERT"
        }
    }

    public func mark(_ a: Availability) -> String {
        switch a {
        case .available: available
        case .busy: busy
        case .away: away
        case .offline: offline
        }
    }

    /// A sparkline of `values` exactly `width` cells wide (points are stretched or sampled to fit).
    public func sparkline(_ values: [Int], width: Int) -> String {
        guard width > 0, !values.isEmpty else { return "" }
        let lo = values.min()!, hi = values.max()!
        var out = ""
        for i in 0..<width {
            let v = values[min(values.count - 1, i * values.count / width)]
            let level = hi == lo ? (hi == 0 ? 0 : spark.count / 2) : (v - lo) * (spark.count - 1) / (hi - lo)
            out += spark[level]
        }
        return out
    }
}
