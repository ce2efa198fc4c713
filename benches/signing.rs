//! Signing cost: a small GET (trace and cross-check included), 1 MiB and 64 MiB POSTs, next to
//! one plain SHA-256 pass over the same 64 MiB (the floor for a signed payload). Last, the
//! ratio of a signing with its trace to aws-sigv4 alone, measured interleaved (alternating
//! batches, median of the per-pair ratios) so that a busy machine slows both alike.
//! Run: `cargo bench --bench signing` (`-- --ratio-only` for the ratio alone).

use criterion::{criterion_group, Criterion, Throughput};
use sha2::Digest;
use sigscope::aws::credentials::Credentials;
use sigscope::sign::{sign, SigningSettings, WireRequest};
use std::hint::black_box;
use std::time::{Duration, SystemTime};

fn creds() -> Credentials {
    Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        None,
        "bench",
    )
}

fn post(size: usize) -> WireRequest {
    let mut req = WireRequest::from_url(
        "POST",
        "https://abc123.execute-api.us-east-1.amazonaws.com/prod/upload",
    )
    .unwrap();
    req.headers
        .push(("Content-Type".into(), "application/octet-stream".into()));
    req.body = vec![0x5au8; size].into();
    req
}

fn bench(c: &mut Criterion) {
    let settings = SigningSettings::for_service("us-east-1", "execute-api");
    let creds = creds();
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_790_000_000);
    let get = WireRequest::from_url(
        "GET",
        "https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets?limit=10&type=dog",
    )
    .unwrap();
    c.bench_function("sign small GET (with trace)", |b| {
        b.iter(|| sign(black_box(&get), &creds, &settings, time).unwrap())
    });

    // The floor: aws-sigv4 by itself on the same request, no trace and no cross-check.
    let identity = sdk_identity();
    c.bench_function("aws-sigv4 alone, small GET", |b| {
        b.iter(|| aws_sigv4_alone(&identity))
    });

    let mut group = c.benchmark_group("payload");
    group.sample_size(10);
    for (label, size) in [("1MiB", 1 << 20), ("64MiB", 64 << 20)] {
        let req = post(size);
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_function(format!("sign POST {label}"), |b| {
            b.iter(|| sign(black_box(&req), &creds, &settings, time).unwrap())
        });
        group.bench_function(format!("plain sha256 {label}"), |b| {
            b.iter(|| sha2::Sha256::digest(black_box(&req.body[..])))
        });
    }
    group.finish();
}

type Identity = aws_smithy_runtime_api::client::identity::Identity;

/// The identity an SDK holds between requests (built once, outside the measured loop).
fn sdk_identity() -> Identity {
    aws_credential_types::Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "bench",
    )
    .into()
}

/// aws-sigv4 by itself on the small GET: what an SDK pays to sign.
fn aws_sigv4_alone(identity: &Identity) -> String {
    let params: aws_sigv4::http_request::SigningParams =
        aws_sigv4::sign::v4::SigningParams::builder()
            .identity(identity)
            .region("us-east-1")
            .name("execute-api")
            .time(SystemTime::UNIX_EPOCH + Duration::from_secs(1_790_000_000))
            .settings(aws_sigv4::http_request::SigningSettings::default())
            .build()
            .unwrap()
            .into();
    let req = aws_sigv4::http_request::SignableRequest::new(
        "GET",
        "https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets?limit=10&type=dog",
        std::iter::empty(),
        aws_sigv4::http_request::SignableBody::Bytes(&[]),
    )
    .unwrap();
    aws_sigv4::http_request::sign(black_box(req), &params)
        .unwrap()
        .into_parts()
        .1
}

/// sigscope's signing of the small GET over aws-sigv4 alone, in alternating batches.
fn interleaved_ratio() {
    use std::time::Instant;
    let settings = SigningSettings::for_service("us-east-1", "execute-api");
    let creds = creds();
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_790_000_000);
    let get = WireRequest::from_url(
        "GET",
        "https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets?limit=10&type=dog",
    )
    .unwrap();
    let identity = sdk_identity();
    const BATCH: u32 = 2_000;
    let mut ratios = Vec::new();
    let (mut ours_total, mut alone_total) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..41 {
        let t = Instant::now();
        for _ in 0..BATCH {
            black_box(sign(black_box(&get), &creds, &settings, time).unwrap());
        }
        let ours = t.elapsed();
        let t = Instant::now();
        for _ in 0..BATCH {
            black_box(aws_sigv4_alone(&identity));
        }
        let alone = t.elapsed();
        ratios.push(ours.as_secs_f64() / alone.as_secs_f64());
        ours_total += ours;
        alone_total += alone;
    }
    ratios.sort_by(f64::total_cmp);
    let per = |d: Duration| d.as_secs_f64() * 1e6 / f64::from(41 * BATCH);
    println!(
        "interleaved, small GET: sigscope {:.2} µs, aws-sigv4 alone {:.2} µs; ratio median {:.2} \
         (quartiles {:.2}-{:.2})",
        per(ours_total),
        per(alone_total),
        ratios[20],
        ratios[10],
        ratios[30]
    );
}

criterion_group!(benches, bench);

fn main() {
    if !std::env::args().any(|a| a == "--ratio-only") {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
    interleaved_ratio();
}
