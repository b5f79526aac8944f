/// A key press or terminal event, independent of ncurses.
public enum Key: Equatable, Sendable {
    /// A printable character.
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, tab, backTab
    /// The terminal changed size.
    case resize
    /// A mouse click at a cell.
    case click(row: Int, column: Int)
}
