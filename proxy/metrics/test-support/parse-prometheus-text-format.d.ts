/** Types for parse-prometheus-text-format 1.x (the package ships none). */
declare module 'parse-prometheus-text-format' {
  interface PlainMetric {
    value: string;
    labels?: Record<string, string>;
    timestamp_ms?: string;
  }
  interface BucketedMetric {
    buckets: Record<string, string>;
    count?: string;
    sum?: string;
    labels?: Record<string, string>;
  }
  interface QuantileMetric {
    quantiles: Record<string, string>;
    count?: string;
    sum?: string;
    labels?: Record<string, string>;
  }
  interface MetricFamily {
    name: string;
    help: string;
    type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
    metrics: (PlainMetric | BucketedMetric | QuantileMetric)[];
  }
  export default function parsePrometheusTextFormat(text: string): MetricFamily[];
}
