import AttritionCore
import Foundation
import Testing

@Suite struct ReviewerAnalysesTests {
    private var sampleTable: CaseTable { get throws { try importBytes(SampleGenerator.bytes(SampleSpec(cases: 6000, seed: 3))).table } }

    @Test func reasonGroupsFollowTheAnalystsGrouping() {
        #expect(ReasonGroup(.police(PoliceOutcome(code: 14)!)) == .victimDoesNotSupport)
        #expect(ReasonGroup(.police(PoliceOutcome(code: 16)!)) == .victimDoesNotSupport)
        #expect(ReasonGroup(.police(PoliceOutcome(code: 15)!)) == .evidenceInsufficient)
        #expect(ReasonGroup(.police(PoliceOutcome(code: 18)!)) == .noSuspect)
        #expect(ReasonGroup(.police(PoliceOutcome(code: 21)!)) == .notInPublicInterest)
        #expect(ReasonGroup(.police(PoliceOutcome(code: 9)!)) == .otherOutcome(9))
        #expect(ReasonGroup(.court(.discontinued)) == .discontinued)
        #expect(ReasonGroup(.court(.acquitted)) == .acquitted)
        #expect(ReasonGroup(.open) == nil)
        #expect(ReasonGroup(.convicted) == nil)
    }

    @Test func reasonMixCountsAndSharesAgainstTheRows() throws {
        let table = try sampleTable
        let funnel = try FunnelAnalysis.funnel(of: table, by: nil)
        let mix = ReasonAnalysis.mix(funnel.total.counts, at: .reported)
        let closedAtReport = (0..<table.rowCount).filter { table.furthestStages[$0] == 0 && table.outcome(ofRow: $0).isDropOff }
        let withdrawn = closedAtReport.filter { [14, 16].contains(Int(table.outcomes[$0])) }.count
        #expect(mix.closed == closedAtReport.count)
        #expect(mix.share(of: .victimDoesNotSupport) == Proportion(withdrawn, of: closedAtReport.count))
        #expect(mix.counts.reduce(0) { $0 + $1.count } == mix.closed)
        #expect(mix.open == (0..<table.rowCount).filter { table.furthestStages[$0] == 0 && table.outcomes[$0] == 0 }.count)
    }

    /// Quartiles of the list with each value repeated by its weight, by the averaging definition.
    private func expandedQuartiles(_ values: [(Int32, Int)]) -> (Double, Double, Double) {
        let expanded = values.flatMap { Array(repeating: Double($0.0), count: $0.1) }.sorted()
        func q(_ p: Double) -> Double {
            let np = p * Double(expanded.count)
            if np == np.rounded(.down), Int(np) >= 1, Int(np) < expanded.count { return (expanded[Int(np) - 1] + expanded[Int(np)]) / 2 }
            return expanded[Int(np.rounded(.up)) - 1]
        }
        return (q(0.25), q(0.5), q(0.75))
    }

    @Test func weightedQuartiles() throws {
        let q = try #require(TimingAnalysis.quartiles([(4, 1), (1, 1), (3, 1), (2, 1)]))
        #expect(q.q1 == 1.5 && q.median == 2.5 && q.q3 == 3.5)
        let odd = try #require(TimingAnalysis.quartiles([(10, 1), (20, 1), (30, 1)]))
        #expect(odd.q1 == 10 && odd.median == 20 && odd.q3 == 30)
        #expect(TimingAnalysis.quartiles([]) == nil)
        var random = SampleRandom(seed: 11)
        for _ in 0..<50 {
            let values = (0..<(1 + random.below(30))).map { _ in (Int32(random.below(400)), 1 + random.below(4)) }
            let got = try #require(TimingAnalysis.quartiles(values))
            let want = expandedQuartiles(values)
            #expect(got.q1 == want.0 && got.median == want.1 && got.q3 == want.2)
        }
    }

    @Test func timingCountsOpenUndatedAndOutOfOrderApart() throws {
        let text = """
        case_id,reported_date,crime_type,bcu,referred_date,charged_date,police_outcome
        1,2023-01-01,Rape,N,2023-01-11,,
        2,2023-01-01,Rape,N,2023-01-31,,
        3,2023-01-01,Rape,N,,2023-03-01,
        4,2023-02-01,Rape,N,2023-01-15,,
        5,2023-01-01,Rape,N,,,
        6,2023-01-01,Rape,N,,,16

        """
        let table = try importText(text).table
        let total = try TimingAnalysis.timings(of: table, by: nil).total
        let referred = try #require(total.stages.first { $0.stage == .referred })
        #expect(referred.timed == 2)
        #expect(referred.quartiles?.median == 20)
        #expect(referred.undated == 1)
        #expect(referred.outOfOrder == 1)
        #expect(referred.stillOpen == 1)
        let charged = try #require(total.stages.first { $0.stage == .charged })
        #expect(charged.timed == 1)
        #expect(charged.quartiles?.median == 59)
        #expect(charged.stillOpen == 4)
    }

    @Test func maturityCountsBackCalendarMonths() {
        let day = { (y: Int, m: Int, d: Int) in DayNumber(year: y, month: m, day: d)! }
        #expect(Maturity.cutoff(asOf: day(2024, 3, 31), months: 1) == day(2024, 2, 29))
        #expect(Maturity.cutoff(asOf: day(2024, 3, 31), months: 12) == day(2023, 3, 31))
        #expect(Maturity.cutoff(asOf: day(2024, 1, 15), months: 13) == day(2022, 12, 15))
        #expect(Maturity.cutoff(asOf: day(2024, 1, 15), months: 0) == day(2024, 1, 15))
    }

    @Test func maturityFilterKeepsOnlyOldEnoughCases() throws {
        let table = try sampleTable
        var filter = CaseFilter()
        let cutoff = Maturity.cutoff(asOf: try #require(table.latestDate), months: 12)
        filter.reportedBy = cutoff
        let funnel = try FunnelAnalysis.funnel(of: table, by: nil, filter: filter)
        #expect(funnel.total.counts.reached(.reported) == table.reportedDays.filter { $0 <= cutoff.days }.count)
        #expect(filter.summary == "reported by \(cutoff.iso)")
    }

    @Test func funnelPlotLimitsAndPositions() {
        // From 1,000 cases on: the normal approximation.
        let limits = Comparison.limits(around: 0.2, n: 2500, z: 1.959963984540054)
        #expect(abs(limits.lowerBound - (0.2 - 1.959963984540054 * 0.008)) < 1e-12)
        #expect(abs(limits.upperBound - (0.2 + 1.959963984540054 * 0.008)) < 1e-12)
        #expect(Comparison.limits(around: 0.01, n: 10, z: 3.09).lowerBound == 0)
    }

    @Test func funnelPlotPlacesGroupsAgainstTheOverallRate() throws {
        let table = try sampleTable
        let funnel = try FunnelAnalysis.funnel(of: table, by: table.requireDimension("crime_type"))
        let p0 = try #require(funnel.total.steps[0].step.rate)
        for point in Comparison.funnelPlot(funnel, step: 0).points where point.proportion.total >= Comparison.exactBelow {
            let n = Double(point.proportion.total), rate = point.proportion.rate!
            let half95 = 1.959963984540054 * (p0 * (1 - p0) / n).squareRoot()
            let half998 = 3.090232306167813 * (p0 * (1 - p0) / n).squareRoot()
            let expected: FunnelPlotPosition = abs(rate - p0) > half998 ? (rate > p0 ? .above998 : .below998)
                : abs(rate - p0) > half95 ? (rate > p0 ? .above95 : .below95) : .within
            #expect(point.position == expected, "\(point.name)")
        }
    }

    @Test func disparityRatioEdges() throws {
        let disparity = try #require(Comparison.disparity(Proportion(20, of: 100), against: Proportion(10, of: 100)))
        #expect(disparity.ratio == 2)
        #expect(Comparison.disparity(Proportion(0, of: 100), against: Proportion(10, of: 100))?.interval?.lowerBound == 0)
        #expect(Comparison.disparity(Proportion(5, of: 100), against: Proportion(0, of: 100))?.interval?.upperBound == .infinity)
        #expect(Comparison.disparity(Proportion(0, of: 100), against: Proportion(0, of: 100)) == nil)
    }

    @Test func crossTabCellsEqualFunnelsFilteredToTheirPair() throws {
        let table = try sampleTable
        let rows = try table.requireDimension("bcu"), columns = try table.requireDimension("crime_type")
        let tab = try CrossTabAnalysis.crossTab(of: table, rows: rows, columns: columns, from: .referred, to: .charged, basis: .closed)
        for (r, bcu) in tab.rows.enumerated() {
            for (c, crime) in tab.columns.enumerated() {
                let filter = try CaseFilter.parse(["bcu=\(bcu)", "crime_type=\(crime)"], in: table)
                let funnel = try FunnelAnalysis.funnel(of: table, by: nil, filter: filter, basis: .closed)
                #expect(tab.cells[r][c] == funnel.total.steps[1].step, "\(bcu) × \(crime)")
            }
        }
    }

    @Test func reliabilityThreshold() {
        #expect(!Reliability().isReliable(Proportion(3, of: 29)))
        #expect(Reliability().isReliable(Proportion(3, of: 30)))
        #expect(Reliability(minimumDenominator: 5).isReliable(Proportion(0, of: 5)))
    }

    @Test func dataTableFormats() throws {
        let table = DataTable(title: "T", notes: ["n"],
                              columns: [TableColumn("group", .group), TableColumn("count", .count(parts: [])),
                                        TableColumn("rate", .rate(numerator: "count", denominator: "count"))],
                              rows: [TableRow([.text("=x"), .count(1234), .rate(0.25)]), TableRow([.text("b"), .count(0), .rate(nil)])])
        #expect(DataTableFormat.csv.render(table) == "group,count,rate\n'=x,1234,0.2500\nb,0,\n")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(DataTableFormat.json.render(table).utf8)) as? [String: Any])
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows[0]["count"] as? Int == 1234)
        #expect(rows[1]["rate"] is NSNull)
        #expect(DataTableFormat.md.render(table).contains("| =x | 1,234 | 25.0% |"))
    }
}
