/// Where things sit on screen. Views draw by it and the update maps mouse clicks by it, so the
/// two always agree.
public enum Layout {
    /// Row of the title bar.
    static let titleRow = 0
    /// Row of the active-filters line.
    static let filterRow = 1
    /// Row of a page's heading.
    static let headingRow = 2
    /// Row of column headings on list pages.
    static let columnsRow = 3
    /// First row of a page's list.
    static let listTop = 4
    /// Rows of the breakdown's detail pane, below the table.
    static let breakdownDetailHeight = 7

    /// Row of the message line.
    static func messageRow(_ display: Display) -> Int { display.rows - 2 }
    /// Row of the footer of keys.
    static func footerRow(_ display: Display) -> Int { display.rows - 1 }

    /// List rows that fit on a plain list page (cases, filters, dimensions, help).
    static func listHeight(_ display: Display) -> Int { messageRow(display) - listTop }

    /// Text rows that fit on a scrolling text page (help, import summary).
    static func textHeight(_ display: Display) -> Int { messageRow(display) - headingRow - 1 }

    /// Group rows that fit in the breakdown table (the total row and the detail pane come after).
    static func breakdownHeight(_ display: Display) -> Int {
        messageRow(display) - listTop - breakdownDetailHeight - 1
    }

    /// First row of the funnel page's reasons pane, given the number of stages.
    static func reasonsTop(stages: Int) -> Int { listTop + stages + 2 }

    /// The first item shown when `cursor` must be visible in a list of `height` rows.
    public static func firstVisible(cursor: Int, height: Int) -> Int { max(0, cursor - max(height, 1) + 1) }
}
