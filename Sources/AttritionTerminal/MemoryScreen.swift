/// A screen held in memory, so views can be rendered and compared as text in tests.
public final class MemoryScreen: Screen {
    public private(set) var size: (rows: Int, columns: Int)
    private var cells: [[Character]]
    private var styles: [[TextStyle]]
    /// How many times `present()` was called.
    public private(set) var presentCount = 0
    /// Every text copied to the clipboard, in order.
    public private(set) var copied: [String] = []

    public func copyToClipboard(_ text: String) { copied.append(text) }

    /// A blank screen of `rows` by `columns`.
    public init(rows: Int, columns: Int) {
        size = (rows, columns)
        cells = Array(repeating: Array(repeating: " ", count: columns), count: rows)
        styles = Array(repeating: Array(repeating: .plain, count: columns), count: rows)
    }

    public func clear() {
        for row in cells.indices {
            cells[row] = Array(repeating: " ", count: size.columns)
            styles[row] = Array(repeating: .plain, count: size.columns)
        }
    }

    public func put(_ text: String, row: Int, column: Int, style: TextStyle) {
        guard row >= 0, row < size.rows else { return }
        var col = column
        for char in text {
            if col >= size.columns { break }
            if col >= 0 {
                cells[row][col] = char
                styles[row][col] = style
            }
            col += 1
        }
    }

    public func present() { presentCount += 1 }

    /// Each row as text, trailing spaces removed.
    public var lines: [String] {
        cells.map { String($0).replacingTrailingSpaces() }
    }

    /// The whole screen as text, rows joined by line breaks.
    public var text: String { lines.joined(separator: "\n") }

    /// The style of one cell.
    public func style(row: Int, column: Int) -> TextStyle { styles[row][column] }

    /// Changes the size, as a terminal resize would; the content is blanked.
    public func resize(rows: Int, columns: Int) {
        size = (rows, columns)
        cells = Array(repeating: Array(repeating: " ", count: columns), count: rows)
        styles = Array(repeating: Array(repeating: .plain, count: columns), count: rows)
    }
}

extension String {
    fileprivate func replacingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
