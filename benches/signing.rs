//! Signing cost: a small GET (trace and cross-check included), 1 MiB and 64 MiB POSTs, next to
//! one plain SHA-256 pass over the same 64 MiB (the floor for a signed payload).
//! Run: `cargo bench --bench signing`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
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
    let identity = aws_credential_types::Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "bench",
    )
    .into();
    c.bench_function("aws-sigv4 alone, small GET", |b| {
        b.iter(|| {
            let params: aws_sigv4::http_request::SigningParams =
                aws_sigv4::sign::v4::SigningParams::builder()
                    .identity(&identity)
                    .region("us-east-1")
                    .name("execute-api")
                    .time(time)
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
            aws_sigv4::http_request::sign(black_box(req), &params).unwrap()
        })
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

criterion_group!(benches, bench);
criterion_main!(benches);
