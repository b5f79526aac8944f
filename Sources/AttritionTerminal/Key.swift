/// A key press or terminal event, independent of ncurses.
public enum Key: Equatable, Sendable {
    /// A printable character.
    case character(Character)
    /// An arrow key.
    case up, down, left, right
    /// A paging or jump key.
    case pageUp, pageDown, home, end
    /// An editing or navigation key.
    case enter, escape, backspace, tab, backTab
    /// The terminal changed size.
    case resize
    /// A mouse click at a cell.
    case click(row: Int, column: Int)
    /// A double click at a cell.
    case doubleClick(row: Int, column: Int)
    /// The mouse wheel turned one notch, up or down.
    case wheel(up: Bool)
}
