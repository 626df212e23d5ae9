package dev.vsock.boot.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import dev.vsock.boot.bench.Results.HttpResult;

/**
 * Draws requests per second by concurrency, one panel per workload and one line per server and
 * transport, with plain Java2D: colour says the server, the line's dash and marker the transport.
 */
final class ThroughputChart {

	private static final int PANEL_WIDTH = 640;

	private static final int HEIGHT = 620;

	private static final int LEFT = 80;

	private static final int TOP = 70;

	private static final int PLOT_WIDTH = 500;

	private static final int PLOT_HEIGHT = 400;

	private static final Map<String, Color> SERVER_COLOURS = Map.of(BenchServer.TOMCAT, new Color(0xD5, 0x5E, 0x00),
			BenchServer.REACTOR_NETTY, new Color(0x00, 0x72, 0xB2));

	private static final List<String> TRANSPORTS = List.of("vsock", "tcp", "socat");

	private static final List<String> SERVERS = List.of(BenchServer.TOMCAT, BenchServer.REACTOR_NETTY);

	private final List<HttpResult> results;

	private final List<Integer> concurrencies;

	ThroughputChart(List<HttpResult> results, List<Integer> concurrencies) {
		this.results = results;
		this.concurrencies = concurrencies;
	}

	void write(Path file, String title) throws IOException {
		Workload[] workloads = Workload.values();
		BufferedImage image = new BufferedImage(PANEL_WIDTH * workloads.length, HEIGHT, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, image.getWidth(), image.getHeight());
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
		centre(g, title, image.getWidth() / 2, 28);
		for (int i = 0; i < workloads.length; i++) {
			drawPanel(g, workloads[i], i * PANEL_WIDTH);
		}
		drawLegend(g, image.getWidth());
		g.dispose();
		ImageIO.write(image, "png", file.toFile());
	}

	private void drawPanel(Graphics2D g, Workload workload, int offset) {
		List<HttpResult> cells = this.results.stream().filter((r) -> r.workload().equals(workload.name())).toList();
		double max = niceCeiling(cells.stream().mapToDouble(HttpResult::requestsPerSecond).max().orElse(1));
		int x0 = offset + LEFT;
		int y0 = TOP + PLOT_HEIGHT;
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
		g.setColor(Color.BLACK);
		centre(g, workload.label(), x0 + PLOT_WIDTH / 2, TOP - 14);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		for (int tick = 0; tick <= 5; tick++) {
			double value = max * tick / 5;
			int y = y0 - (int) (PLOT_HEIGHT * tick / 5.0);
			g.setColor(new Color(0xE0, 0xE0, 0xE0));
			g.drawLine(x0, y, x0 + PLOT_WIDTH, y);
			g.setColor(Color.DARK_GRAY);
			String label = format(value);
			g.drawString(label, x0 - 8 - g.getFontMetrics().stringWidth(label), y + 4);
		}
		for (int i = 0; i < this.concurrencies.size(); i++) {
			centre(g, Integer.toString(this.concurrencies.get(i)), xOf(x0, i), y0 + 20);
		}
		centre(g, "concurrent keep-alive connections", x0 + PLOT_WIDTH / 2, y0 + 40);
		Graphics2D vertical = (Graphics2D) g.create();
		vertical.rotate(-Math.PI / 2);
		centre(vertical, "requests per second", -(TOP + PLOT_HEIGHT / 2), offset + 18);
		vertical.dispose();
		g.setColor(Color.BLACK);
		g.drawRect(x0, TOP, PLOT_WIDTH, PLOT_HEIGHT);
		for (String server : SERVERS) {
			for (String transport : TRANSPORTS) {
				drawSeries(g, cells, server, transport, x0, y0, max);
			}
		}
	}

	private void drawSeries(Graphics2D g, List<HttpResult> cells, String server, String transport, int x0, int y0,
			double max) {
		g.setColor(SERVER_COLOURS.get(server));
		int previousX = -1;
		int previousY = -1;
		for (int i = 0; i < this.concurrencies.size(); i++) {
			int concurrency = this.concurrencies.get(i);
			HttpResult cell = cells.stream()
				.filter((r) -> r.server().equals(server) && r.transport().equals(transport) && r.concurrency() == concurrency)
				.findFirst()
				.orElse(null);
			if (cell == null) {
				continue;
			}
			int x = xOf(x0, i);
			int y = y0 - (int) Math.round(PLOT_HEIGHT * cell.requestsPerSecond() / max);
			if (previousX >= 0) {
				g.setStroke(stroke(transport));
				g.drawLine(previousX, previousY, x, y);
			}
			marker(g, transport, x, y);
			previousX = x;
			previousY = y;
		}
	}

	private void drawLegend(Graphics2D g, int width) {
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
		int y = HEIGHT - 60;
		int entryWidth = 210;
		int x = (width - entryWidth * TRANSPORTS.size()) / 2;
		for (String server : SERVERS) {
			for (int i = 0; i < TRANSPORTS.size(); i++) {
				String transport = TRANSPORTS.get(i);
				int left = x + i * entryWidth;
				g.setColor(SERVER_COLOURS.get(server));
				g.setStroke(stroke(transport));
				g.drawLine(left, y - 4, left + 40, y - 4);
				marker(g, transport, left + 20, y - 4);
				g.setColor(Color.BLACK);
				g.setStroke(new BasicStroke(1));
				g.drawString(server + " over " + ("socat".equals(transport) ? "socat relay" : transport), left + 48, y);
			}
			y += 24;
		}
	}

	private int xOf(int x0, int index) {
		int slots = Math.max(1, this.concurrencies.size() - 1);
		return x0 + 40 + (PLOT_WIDTH - 80) * index / slots;
	}

	private static Stroke stroke(String transport) {
		return switch (transport) {
			case "vsock" -> new BasicStroke(3f);
			case "tcp" -> new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] { 10, 6 }, 0);
			default -> new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] { 1, 6 }, 0);
		};
	}

	private static void marker(Graphics2D g, String transport, int x, int y) {
		g.setStroke(new BasicStroke(1));
		switch (transport) {
			case "vsock" -> g.fillOval(x - 5, y - 5, 10, 10);
			case "tcp" -> g.fillRect(x - 5, y - 5, 10, 10);
			default -> g.fillPolygon(new int[] { x, x - 6, x + 6 }, new int[] { y - 6, y + 5, y + 5 }, 3);
		}
	}

	private static void centre(Graphics2D g, String text, int x, int y) {
		FontMetrics metrics = g.getFontMetrics();
		g.drawString(text, x - metrics.stringWidth(text) / 2, y);
	}

	/** The next of 1, 2, 2.5, 5 times a power of ten at or above the value, so the axis ticks are round. */
	private static double niceCeiling(double value) {
		double power = Math.pow(10, Math.floor(Math.log10(value)));
		for (double step : new double[] { 1, 2, 2.5, 5, 10 }) {
			if (step * power >= value) {
				return step * power;
			}
		}
		return 10 * power;
	}

	private static String format(double value) {
		return (value >= 100 || value == 0) ? String.format("%,.0f", value) : String.format("%.1f", value);
	}

}
