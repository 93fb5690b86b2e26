// A horizontal or vertical SVG bar chart: enough for histograms and long-tail counts, no charting library.
export interface Bar {
  label: string;
  value: number;
}

export function BarChart({
  bars,
  title,
  height = 160,
  vertical = true,
}: {
  bars: Bar[];
  title: string;
  height?: number;
  vertical?: boolean;
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  if (vertical) {
    // A fixed drawing width keeps text the same size whatever the number of bars.
    const width = 400;
    const barWidth = width / Math.max(1, bars.length);
    const drawn = Math.min(barWidth - 6, 56);
    return (
      <figure className="chart">
        <figcaption>{title}</figcaption>
        <svg viewBox={`0 0 ${width} ${height + 34}`} role="img" aria-label={title}>
          {bars.map((b, i) => {
            const h = (b.value / max) * height;
            return (
              <g key={b.label}>
                <rect x={i * barWidth + (barWidth - drawn) / 2} y={height - h + 14} width={drawn} height={h} className="chart-bar">
                  <title>{`${b.label}: ${b.value}`}</title>
                </rect>
                <text x={i * barWidth + barWidth / 2} y={height - h + 10} textAnchor="middle" className="chart-value">
                  {b.value}
                </text>
                <text x={i * barWidth + barWidth / 2} y={height + 28} textAnchor="middle" className="chart-label">
                  {b.label}
                </text>
              </g>
            );
          })}
        </svg>
      </figure>
    );
  }
  const rowHeight = 18;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 400 ${bars.length * rowHeight + 4}`} role="img" aria-label={title}>
        {bars.map((b, i) => (
          <g key={b.label}>
            <text x={0} y={i * rowHeight + 13} className="chart-label">
              {b.label.length > 26 ? `${b.label.slice(0, 25)}…` : b.label}
            </text>
            <rect x={170} y={i * rowHeight + 3} width={(b.value / max) * 190} height={rowHeight - 6} className="chart-bar" />
            <text x={170 + (b.value / max) * 190 + 4} y={i * rowHeight + 13} className="chart-value">
              {b.value}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
