import AttritionCore
import Foundation
import Testing

@Suite struct OutputTests {
    private let text = """
    case_id,reported_date,crime_type,bcu,referred_date,charged_date,prosecuted_date,convicted_date,police_outcome,court_outcome
    1,2023-01-01,Rape,North,2023-02-01,,,,,
    2,2023-01-01,Rape,North,,,,,16,
    3,2023-01-01,=HYPERLINK("x"),South,2023-02-01,2023-03-01,,,,
    4,2023-01-01,Rape,South,2023-02-01,2023-03-01,2023-04-01,2023-05-01,,convicted

    """

    @Test func csvHasTheContractHeaderGroupsAndTotal() throws {
        let table = try importText(text).table
        let funnel = try FunnelAnalysis.funnel(of: table, by: table.requireDimension("bcu"))
        let lines = DataTableFormat.csv.render(AnalysisTables.funnel(funnel, filter: CaseFilter())).split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("bcu,reported,referred,charged,prosecuted,convicted,"))
        // Stages, open at each, closed at each, then the first step's numerator, denominator and rate:
        // North has case 1 open at referral and case 2 closed (16) at report.
        #expect(lines[1].hasPrefix("North,2,1,0,0,0,0,1,0,0,1,0,0,0,1,2,0.5000,"))
        // South has case 3 open at charge and case 4 convicted.
        #expect(lines[2].hasPrefix("South,2,2,2,1,1,0,0,1,0,0,0,0,0,2,2,1.0000,"))
        #expect(lines[3].hasPrefix("Total,4,3,2,1,1,0,1,1,0,1,0,0,0,3,4,0.7500,"))
        #expect(lines.count == 4)
    }

    @Test func csvCellsAreGuardedAgainstFormulas() {
        #expect(CSVText.cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVText.cell("+1") == "'+1")
        #expect(CSVText.cell("-1") == "'-1")
        #expect(CSVText.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVText.cell("a,b") == "\"a,b\"")
        #expect(CSVText.cell("North") == "North")
        #expect(CSVText.cell("bell\u{07}") == "bell\u{FFFD}")
    }

    @Test func jsonHasTheContractShape() throws {
        let table = try importText(text).table
        let funnel = try FunnelAnalysis.funnel(of: table, by: table.requireDimension("crime_type"))
        let data = Data(SummaryFormat.json.render(funnel, filter: CaseFilter()).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["dimension"] as? String == "crime_type")
        #expect(object["stages"] as? [String] == ["reported", "referred", "charged", "prosecuted", "convicted"])
        let groups = try #require(object["groups"] as? [[String: Any]])
        #expect(groups.map { $0["name"] as? String } == ["=HYPERLINK(\"x\")", "Rape"])
        let rape = groups[1]
        #expect(rape["counts"] as? [String: Int] == ["reported": 3, "referred": 2, "charged": 1, "prosecuted": 1, "convicted": 1])
        #expect(rape["open"] as? [String: Int] == ["reported": 0, "referred": 1, "charged": 0, "prosecuted": 0, "convicted": 0])
        let step = try #require((rape["steps"] as? [[String: Any]])?.first)
        #expect(step["from"] as? String == "reported")
        #expect(step["to"] as? String == "referred")
        #expect(step["rate"] as? Double == 0.6667)
        #expect(step["numerator"] as? Int == 2)
        #expect(step["denominator"] as? Int == 3)
        #expect(step["flag"] is NSNull)
        let total = try #require(object["total"] as? [String: Any])
        #expect(total["name"] as? String == "Total")
    }

    @Test func validationJSONHasTheContractShape() throws {
        let result = try importText("case_id,reported_date,crime_type,bcu,victim_sex\n1,2023-01-01,Rape,N,Q\n2,bad,Rape,N,F\n")
        let data = Data(ValidationFormat.json.render(result.report).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["rows"] as? Int == 2)
        #expect(object["accepted"] as? Int == 1)
        let rejected = try #require(object["rejected"] as? [[String: Any]])
        #expect(rejected.map { "\($0["line"] as? Int ?? 0) \($0["reason"] as? String ?? "")" }
            == ["3 reported_date 'bad' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)"])
        let warnings = try #require(object["warnings"] as? [[String: Any]])
        #expect(warnings.map { "\($0["line"] as? Int ?? 0) \($0["field"] as? String ?? ""): \($0["reason"] as? String ?? "")" }
            == ["2 victim_sex: 'Q' is not Female, Male or Other; treated as Unknown"])
    }

    @Test func tableAndMarkdownShowNumeratorsAndDenominators() throws {
        let table = try importText(text).table
        let funnel = try FunnelAnalysis.funnel(of: table, by: table.requireDimension("bcu"))
        let markdown = DataTableFormat.md.render(BoardLayout.table(AnalysisTables.funnel(funnel, filter: CaseFilter()), view: .breakdown))
        let north = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| North |") })
        #expect(north.hasPrefix("| North | 2 | 50.0% (1/2) | "))
        #expect(north.contains(" | 0.0% (0/1) | "))
        let plain = SummaryFormat.table.render(funnel, filter: CaseFilter())
        // Total: 4 reported; 3 referred of 4; 2 charged of 3; 1 prosecuted of 2; 1 convicted of 1; 2 open; 1 closed.
        let total = try #require(plain.split(separator: "\n").first { $0.hasPrefix("Total") })
        #expect(total.split(separator: " ") == ["Total", "4", "3", "75.0%", "2", "66.7%", "1", "50.0%", "1", "100.0%", "2", "1"])
    }

    @Test func jsonEscapesControlCharacters() {
        #expect(JSON.string("a\"b\\c\n\u{1B}").text == "\"a\\\"b\\\\c\\n\\u001b\"")
    }
}

@Suite struct NumberTextTests {
    @Test func aNegativePercentageKeepsItsSignInFront() {
        #expect(NumberText.percent(-0.004) == "-0.4%")
        #expect(NumberText.percent(-0.1234) == "-12.3%")
        #expect(NumberText.percent(-0.0004) == "0.0%")
        #expect(NumberText.percent(0.8125) == "81.3%")
        #expect(NumberText.percent(nil) == "–")
    }
}
