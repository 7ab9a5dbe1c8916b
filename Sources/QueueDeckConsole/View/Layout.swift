/// Where things go on a screen of a given size: list and detail side by side when wide, stacked when
/// narrow, and a "too small" message below the minimum.
public struct ScreenLayout: Sendable {
    public static let minRows = 12
    public static let minCols = 44
    public static let sideBySideFrom = 140

    public var rows: Int
    public var cols: Int
    public var tooSmall: Bool { rows < ScreenLayout.minRows || cols < ScreenLayout.minCols }
    public var listTop: Int { 3 }
    public var listHeight: Int
    public var listWidth: Int
    public var detail: (row: Int, col: Int, height: Int, width: Int)?

    public init(rows: Int, cols: Int, detailOpen: Bool, composerLines: Int = 0) {
        self.rows = rows
        self.cols = cols
        let body = max(1, rows - 3 - 2 - composerLines)  // header 3 rows, flash + hints 2 rows
        if detailOpen && cols >= ScreenLayout.sideBySideFrom {
            listWidth = cols * 11 / 20
            listHeight = body
            detail = (2, listWidth + 1, body + 1, cols - listWidth - 1)
        } else if detailOpen {
            listWidth = cols
            listHeight = max(3, body * 2 / 5)
            detail = (3 + listHeight, 0, body - listHeight, cols)
        } else {
            listWidth = cols
            listHeight = body
            detail = nil
        }
    }
}
