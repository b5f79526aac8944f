import Foundation
import Testing

/// The reviewer's statistics from the command line: shapes of the outputs and figures checked
/// against counts worked out here.
@Suite struct ReviewerStatisticsCommandTests {
    @Test func survivalJSONHasTheIssuedShapeAndTheSimpleShareWhenNothingIsCensored() throws {
        // Every case closed or charged by the as-of date: the share within 30 days is a plain share.
        var lines = ["case_id,reported_date,crime_type,bcu,referred_date,charged_date,police_outcome,outcome_date"]
        for index in 0..<10 { lines.append("N\(index),2024-01-01,Rape,North,2024-01-05,2024-01-\(String(format: "%02d", 11 + index * 2)),1,") }
        for index in 0..<6 { lines.append("S\(index),2024-01-01,Rape,South,,,16,2024-01-0\(2 + index)") }
        lines.append("S9,2024-01-01,Rape,South,2024-01-03,2024-01-20,1,")
        let scratch = TemporaryFolder()
        let file = scratch.write("cases.csv", lines.joined(separator: "\n") + "\n")
        let result = try attrition(["survival", file, "--by", "bcu", "--stage", "charged", "--days", "20", "--as-of", "2024-06-30",
                                    "--format", "json"])
        #expect(result.status == 0, "\(result.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(Set(json.keys) == ["stage", "days", "as_of", "groups", "total", "publication"])
        #expect(json["stage"] as? String == "charged" && json["days"] as? Int == 20 && json["as_of"] as? String == "2024-06-30")
        let groups = try #require(json["groups"] as? [[String: Any]])
        #expect(groups.map { Set($0.keys) } == Array(repeating: ["name", "cases", "reached", "ci_low", "ci_high"], count: 2))
        // North: charged on days 10, 12, …, 28: six by day 20 (day 20 counts). South: one of seven (day 19).
        #expect(groups[0]["name"] as? String == "North" && groups[0]["cases"] as? Int == 10)
        #expect(groups[0]["reached"] as? Double == 0.6)
        #expect(abs((groups[1]["reached"] as? Double ?? 0) - 0.1429) < 1e-9)
        let total = try #require(json["total"] as? [String: Any])
        #expect(total["cases"] as? Int == 17)
        #expect(abs((total["reached"] as? Double ?? 0) - 0.4118) < 1e-9)
        let low = try #require(total["ci_low"] as? Double), high = try #require(total["ci_high"] as? Double)
        #expect(low < 0.4118 && high > 0.4118)
    }

    @Test func aGroupOfOneCaseIsNeverFlaggedAndTheComparisonsAreCounted() throws {
        // 0 of 1 in Camden against 40 of 41 elsewhere: the z-test would flag it; no test is valid at n = 1.
        var lines = ["case_id,reported_date,crime_type,borough,referred_date"]
        lines.append("C0,2024-01-01,Honour-based abuse,Camden,")
        for index in 0..<41 { lines.append("H\(index),2024-01-01,Honour-based abuse,Hackney,\(index < 40 ? "2024-02-01" : "")") }
        let scratch = TemporaryFolder()
        let file = scratch.write("cases.csv", lines.joined(separator: "\n") + "\n")
        let result = try attrition(["summary", file, "--by", "borough", "--format", "json"])
        #expect(result.status == 0, "\(result.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let groups = try #require(json["groups"] as? [[String: Any]])
        let camden = try #require((groups[0]["steps"] as? [[String: Any]])?.first)
        #expect(camden["flag"] is NSNull)
        #expect(camden["test"] is NSNull)
        #expect(json["comparisons"] as? [Int] == [1])
        #expect(json["correction"] as? String == "holm")
        let table = try attrition(["summary", file, "--by", "borough"])
        #expect(table.out.contains("1 groups compared per step") || table.out.contains("referred 1 groups compared"))
    }

    @Test func adjustmentAddsObservedAndExpectedAndRefusesItsOwnGrouping() throws {
        let result = try attrition(["summary", "--by", "victim_relationship", "--adjust", "crime_type", "--format", "json"])
        #expect(result.status == 0, "\(result.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(json["adjusted_for"] as? String == "crime_type")
        let groups = try #require(json["groups"] as? [[String: Any]])
        for group in groups {
            for step in try #require(group["steps"] as? [[String: Any]]) {
                let adjusted = try #require(step["adjusted"] as? [String: Any])
                // Observed is the step's numerator; the ratio is observed over expected.
                #expect(adjusted["observed"] as? Int == step["numerator"] as? Int)
                let ratio = try #require(adjusted["ratio"] as? Double), expected = try #require(adjusted["expected"] as? Double)
                #expect(abs(ratio - Double(adjusted["observed"] as! Int) / expected) < 1e-3)
            }
        }
        let same = try attrition(["summary", "--by", "crime_type", "--adjust", "crime_type"])
        #expect(same.status != 0)
        #expect(same.err.contains("--adjust crime_type is the dimension grouped by"))
        let csv = try attrition(["compare", "--by", "bcu", "--adjust", "crime_type", "--correction", "fdr", "--overdispersion", "additive",
                                 "--format", "csv"])
        #expect(csv.status == 0)
        #expect(csv.out.hasPrefix("bcu,numerator,denominator,rate,ci_low,ci_high,flag,test,funnel_position"))
        #expect(csv.out.split(separator: "\n")[0].hasSuffix(",expected,adjusted_ratio,adjusted_ci_low,adjusted_ci_high,adjusted_flag,flag_change"))
        let md = try attrition(["compare", "--by", "bcu", "--correction", "fdr", "--format", "md"])
        #expect(md.out.contains("Benjamini–Hochberg"))
        #expect(md.out.contains("overdispersion φ = "))
    }

    @Test func exportToStandardOutputForTextAndNeverForAWorkbook() throws {
        let csv = try attrition(["export", "--view", "breakdown", "--by", "bcu", "--format", "csv", "--out", "-"])
        #expect(csv.status == 0, "\(csv.err)")
        // The board layout by default: plain headings, rates with their counts, one Total row.
        #expect(csv.out.hasPrefix("BCU,Reported,Referred to CPS,95% CI,Charged,95% CI,"))
        #expect(csv.out.split(separator: "\n").filter { $0.hasPrefix("Total,") }.count == 1)
        #expect(csv.out.contains("% ("))
        #expect(csv.err.contains("suppression: "))
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/-"))
        let json = try attrition(["export", "--view", "funnel", "--format", "json", "--out", "-"])
        #expect(json.status == 0)
        #expect((try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])?["metadata"] != nil)
        let xlsx = try attrition(["export", "--view", "funnel", "--format", "xlsx", "--out", "-"])
        #expect(xlsx.status != 0)
        #expect(xlsx.out.isEmpty)
        #expect(xlsx.err.contains("xlsx is binary: give a file name"))
    }

    @Test func scorecardJSONHasTheIssuedShape() throws {
        let result = try attrition(["scorecard", "--by", "bcu", "--period", "2023-24", "--baseline", "2022-23", "--format", "json"])
        #expect(result.status == 0, "\(result.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let measures = try #require(json["measures"] as? [[String: Any]])
        #expect(measures.map { $0["id"] as? String } == ["detection_rate", "outcome_14_share", "outcome_15_share", "outcome_16_share"])
        for measure in measures {
            let groups = try #require(measure["groups"] as? [[String: Any]])
            #expect(!groups.isEmpty)
            for group in groups {
                for key in ["crime_type", "name", "numerator", "denominator", "rate", "ci_low", "ci_high", "target", "status"] {
                    #expect(group.keys.contains(key), "\(key)")
                }
                if let status = group["status"] as? String { #expect(["met", "not met", "uncertain"].contains(status)) }
            }
            #expect(groups.contains { $0["name"] as? String == "Total" })
        }
        let wrong = try attrition(["scorecard", "--period", "2023/24"])
        #expect(wrong.status == 2)
        #expect(wrong.err.contains("--period '2023/24' is not a period"))
        let scratch = TemporaryFolder()
        let book = try attrition(["scorecard", "--by", "bcu", "--format", "xlsx", "--out", scratch.path + "/card.xlsx"])
        #expect(book.status == 0, "\(book.err)")
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/card.xlsx"))
        // For publication (md, csv, xlsx): the board layout, small counts withheld, the audit in the front block.
        let md = try attrition(["scorecard", "--by", "bcu", "--filter", "crime_type=Rape", "--format", "md"])
        #expect(md.out.contains("| Measure | Crime type | BCU | Rate | 95% CI | Target | Status |"))
        #expect(md.out.contains("[c]") && md.out.contains("disclosure_audit: \"interval attack (GLPK"))
        #expect(md.out.contains("no withheld small count can be narrowed to fewer than 3 whole numbers"))
    }
}
