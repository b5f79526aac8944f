import Foundation
import Testing

/// Every command and export view, over files with and without each optional column, with odd
/// option values (huge, zero, negative, far past, far future): each run ends with a normal exit,
/// and a non-zero status always comes with one clear line on standard error.
@Suite struct OptionRobustnessTests {
    /// Optional columns whose absence changes what a view can show.
    private static let optional = ["borough", "victim_sex", "victim_age", "referred_date", "charged_date", "prosecuted_date",
                                   "convicted_date", "police_outcome", "court_outcome", "count"]

    private static let fullHeader = ["case_id", "reported_date", "crime_type", "bcu"] + optional
    private static let fullRows = [
        ["1", "2023-01-01", "Rape", "North", "Enfield", "Female", "25", "2023-02-01", "2023-03-01", "2023-04-01", "2023-06-01", "", "convicted", "1"],
        ["2", "2023-02-10", "Stalking", "North", "Haringey", "Male", "40", "", "", "", "", "16", "", "2"],
        ["3", "2023-03-15", "Rape", "South", "Croydon", "Female", "17", "2023-05-01", "", "", "", "", "", "1"],
        ["4", "2023-04-20", "Rape", "South", "Sutton", "", "", "2023-06-01", "2023-07-01", "2023-08-01", "", "", "acquitted", "1"],
    ]

    /// The full file, the file without each optional column in turn, and the smallest file allowed.
    private static let files: [(name: String, text: String)] = {
        func file(keeping kept: [String]) -> String {
            let positions = kept.map { fullHeader.firstIndex(of: $0)! }
            return ([kept] + fullRows.map { row in positions.map { row[$0] } }).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        }
        var files = [("full", file(keeping: fullHeader))]
        files += optional.map { missing in ("without-\(missing)", file(keeping: fullHeader.filter { $0 != missing })) }
        files.append(("minimal", file(keeping: ["case_id", "reported_date", "crime_type", "bcu"])))
        files.append(("clashing-extras", "case_id,reported_date,crime_type,bcu,reported_year,reported_year_extra\n1,2023-01-01,Rape,North,a,b\n"))
        return files
    }()

    /// Each analysis with its own odd options.
    private static let analyses: [[String]] = [
        ["summary", "--by", "bcu"], ["summary", "--by", "reported_year_extra", "--format", "json"],
        ["reasons", "--by", "bcu"], ["reasons", "--stage", "charged"], ["reasons", "--stage", "convicted"],
        ["timing", "--by", "crime_type", "--format", "csv"],
        ["compare", "--step", "charged"], ["compare", "--step", "convicted", "--reference", "North"], ["compare", "--min-n", "0"],
        ["compare", "--min-n", "2147483647"], ["heatmap", "--rows", "bcu", "--columns", "crime_type"], ["heatmap", "--step", "bogus"],
        ["trend", "--step", "prosecuted", "--basis", "closed"], ["validate", "--format", "json"],
    ] + ["funnel", "breakdown", "reasons", "timing", "compare", "heatmap", "trend"].flatMap { view in
        [["export", "--view", view, "--format", "csv"], ["export", "--view", view, "--format", "xlsx", "--suppress-below", "1000"],
         ["export", "--view", view, "--format", "md", "--suppress-below", "1"]]
    }

    /// Maturity and dates at the edges, each added to every analysis.
    private static let edges: [[String]] = [
        [], ["--mature", "0"], ["--mature", "1200"], ["--mature", "100000000"], ["--mature=-5"],
        ["--mature", "6", "--as-of", "1900-01-01"], ["--mature", "6", "--as-of", "9999-12-31"], ["--as-of", "2023-02-30"],
    ]

    @Test(arguments: OptionRobustnessTests.files.map(\.name))
    func everyCommandEndsCleanlyOrSaysWhy(file name: String) throws {
        let scratch = TemporaryFolder()
        let text = try #require(OptionRobustnessTests.files.first { $0.name == name }).text
        let path = scratch.write("\(name).csv", text)
        var runs = 0
        for analysis in OptionRobustnessTests.analyses {
            // Every edge on the full and the smallest file; the plain options on the others.
            let edges = ["full", "minimal"].contains(name) ? OptionRobustnessTests.edges : [[]]
            for edge in edges where analysis[0] != "validate" || edge.isEmpty {
                runs += 1
                var arguments = [analysis[0]] + (analysis[0] == "validate" ? [] : [path]) + Array(analysis.dropFirst()) + edge
                if analysis[0] == "validate" { arguments.insert(path, at: 1) }
                if analysis[0] == "export" { arguments += ["--out", scratch.path + "/out-\(runs).\(analysis[analysis.firstIndex(of: "--format")! + 1])"] }
                let result = try attrition(arguments)
                let call = "attrition " + arguments.joined(separator: " ")
                #expect(result.reason == .exit, "\(call) was killed by signal \(result.status)")
                #expect([0, 1, 2].contains(result.status), "\(call) exited \(result.status)")
                if result.status == 0 {
                    #expect(!result.out.isEmpty || analysis[0] == "export", "\(call) printed nothing")
                } else {
                    let lines = result.err.split(separator: "\n")
                    #expect(lines.count == 1 && lines[0].hasPrefix("attrition: "), "\(call): \(result.err)")
                }
            }
        }
        #expect(runs >= OptionRobustnessTests.analyses.count)
    }

    @Test func dimensionNamesStayUniqueWhenExtraColumnsClash() throws {
        let scratch = TemporaryFolder()
        let path = scratch.write("clash.csv", "case_id,reported_date,crime_type,bcu,reported_year,reported_year_extra,Crime_Type_extra\n1,2023-01-01,Rape,North,a,b,c\n")
        let result = try attrition(["summary", path, "--by", "nothing"])
        #expect(result.status == 2)
        // The extras keep their own names where free; a clash takes the next free one.
        #expect(result.err.contains("reported_year_extra_2, reported_year_extra, Crime_Type_extra"), "\(result.err)")
        for name in ["reported_year_extra", "reported_year_extra_2"] {
            #expect(try attrition(["summary", path, "--by", name]).status == 0)
        }
    }
}
