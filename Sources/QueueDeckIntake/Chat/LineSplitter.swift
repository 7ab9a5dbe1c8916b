/// Splits a byte stream arriving in chunks into lines, each with its number and byte offset. Each
/// byte is looked at once: a long line arriving in many chunks is not rescanned from its start for
/// every chunk (a 17 MB chat line once took minutes).
public struct LineSplitter {
    private var pending: [UInt8] = []
    private var scanned = 0
    public private(set) var lineNumber = 0
    /// Where the next line starts in the stream.
    public private(set) var offset: Int64 = 0

    public init() {}

    /// Hands over every whole line in `chunk` (without its newline).
    public mutating func feed<E: Error>(_ chunk: some Sequence<UInt8>, _ each: (ArraySlice<UInt8>, Int, Int64) throws(E) -> Void) throws(E) {
        pending.append(contentsOf: chunk)
        var start = 0
        while let newline = pending[max(start, scanned)...].firstIndex(of: 0x0A) {
            try deliver(pending[start..<newline], each)
            start = newline + 1
        }
        if start > 0 { pending.removeFirst(start) }
        scanned = pending.count
    }

    /// The last line, when the stream ended without a newline.
    public mutating func finish<E: Error>(_ each: (ArraySlice<UInt8>, Int, Int64) throws(E) -> Void) throws(E) {
        guard !pending.isEmpty else { return }
        let last = pending[...]
        pending = []
        scanned = 0
        try deliver(last, each)
    }

    private mutating func deliver<E: Error>(_ line: ArraySlice<UInt8>, _ each: (ArraySlice<UInt8>, Int, Int64) throws(E) -> Void) throws(E) {
        lineNumber += 1
        let at = offset
        offset += Int64(line.count + 1)
        try each(line, lineNumber, at)
    }
}
