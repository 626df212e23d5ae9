package dev.vsock.boot.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;

import dev.vsock.boot.bench.Results.HttpResult;

/**
 * The page's plot, drawn with JFreeChart: the ratios the targets are judged on, vsock against
 * TCP on the same server and vsock against the socat relay, one box per server and cell over the
 * cell's rounds, with the targets as dashed lines.
 */
final class RatioChart {

	private static final List<String> SERVERS = List.of(BenchServer.TOMCAT, BenchServer.REACTOR_NETTY);

	private static final Color TOMCAT = new Color(0xD5, 0x5E, 0x00);

	private static final Color REACTOR_NETTY = new Color(0x00, 0x72, 0xB2);

	private final List<HttpResult> results;

	private final List<Integer> concurrencies;

	RatioChart(List<HttpResult> results, List<Integer> concurrencies) {
		this.results = results;
		this.concurrencies = concurrencies;
	}

	void write(Path file) throws IOException {
		CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(
				new CategoryAxis("workload × concurrent keep-alive connections"));
		plot.add(panel("tcp", "vsock against TCP, %", 100, ReportWriter.AGAINST_TCP * 100), 1);
		plot.add(panel("socat", "vsock against the socat relay, ×", 1, ReportWriter.AGAINST_RELAY), 1);
		// One legend entry per server: each panel would otherwise add its own.
		LegendItemCollection legend = new LegendItemCollection();
		legend.add(new LegendItem(BenchServer.TOMCAT, TOMCAT));
		legend.add(new LegendItem(BenchServer.REACTOR_NETTY, REACTOR_NETTY));
		plot.setFixedLegendItems(legend);
		JFreeChart chart = new JFreeChart("HTTP over vsock: ratios per cell over its rounds (QEMU TCG guest)",
				new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
		chart.setBackgroundPaint(Color.WHITE);
		ChartUtils.saveChartAsPNG(file.toFile(), chart, 1100, 760);
	}

	private CategoryPlot panel(String against, String label, double scale, double target) {
		DefaultBoxAndWhiskerCategoryDataset dataset = new DefaultBoxAndWhiskerCategoryDataset();
		for (String server : SERVERS) {
			for (Workload workload : Workload.values()) {
				for (int concurrency : this.concurrencies) {
					List<Double> ratios = ReportWriter.ratios(this.results, server, "vsock", against, workload.name(),
							concurrency);
					if (!ratios.isEmpty()) {
						dataset.add(ratios.stream().map((r) -> r * scale).toList(), server,
								ReportWriter.shortName(workload) + "×" + concurrency);
					}
				}
			}
		}
		BoxAndWhiskerRenderer renderer = new BoxAndWhiskerRenderer();
		renderer.setMeanVisible(false);
		renderer.setMaxOutlierVisible(false);
		renderer.setMinOutlierVisible(false);
		renderer.setFillBox(true);
		renderer.setMaximumBarWidth(0.08);
		renderer.setSeriesPaint(0, TOMCAT);
		renderer.setSeriesPaint(1, REACTOR_NETTY);
		NumberAxis axis = new NumberAxis(label);
		axis.setAutoRangeIncludesZero(true);
		CategoryPlot panel = new CategoryPlot(dataset, null, axis, renderer);
		panel.setBackgroundPaint(Color.WHITE);
		panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
		ValueMarker marker = new ValueMarker(target, Color.DARK_GRAY,
				new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] { 6, 4 }, 0));
		marker.setLabel("target " + ((scale == 1) ? ReportWriter.times(target) : String.format("%.0f %%", target)));
		marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
		marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
		panel.addRangeMarker(marker);
		return panel;
	}

}
