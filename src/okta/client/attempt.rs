//! One attempt of a call: a concurrency permit, the auth header (with a DPoP proof when the
//! org wants one), the run's retry budget, the pacer's wait for the call's bucket (refused
//! past `max_retry_wait`), the write gate (a fenced standby never writes), the request and
//! its answer, read or turned into an [`Error`] with what the retry loop in
//! [`OktaClient::execute`] decides by (status, request id, when it was sent, `Retry-After`).
//! It never retries by itself and never logs a token.

use super::*;

impl OktaClient {
    /// Sends `call` once (attempt number `attempt`, a retry of `retry_for` when given).
    pub(super) async fn attempt(
        &self,
        call: &Call<'_>,
        retry_for: Option<&str>,
        attempt: u32,
    ) -> Result<Reply, Failed> {
        let fail = |error: Error| Failed {
            error,
            status: None,
            request_id: None,
            sent_at: tokio::time::Instant::now(),
            rate_headers: false,
            retry_after: None,
        };
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| fail(Error::shutting_down()))?;
        let bucket = Bucket::of(call.class);
        let auth = self
            .auth
            .headers(&self.http, &self.counters, &call.method, &call.url)
            .await
            .map_err(fail)?;
        // After the token was obtained: a 401 to this request condemns that token.
        let sent_at = tokio::time::Instant::now();
        if attempt > 1 && self.retry_budget.is_spent() {
            return Err(fail(self.budget_spent(call)));
        }
        match self.pacer.acquire(bucket).await {
            Ok(true) => {
                self.counters.record_paced_wait();
                if attempt > 1 {
                    // Waiting for a reset before a retry is retry time too.
                    self.retry_budget.charge(sent_at.elapsed());
                }
            }
            Ok(false) => {}
            Err(TooLong { wait, reset_epoch }) => {
                return Err(fail(self.too_long(call, wait, reset_epoch)));
            }
        }
        // Asked after every wait (token, permit, pacing), right before sending: a leader paused
        // past its lease sends nothing new.
        self.gate(call).map_err(fail)?;
        let mut req = self
            .http
            .request(call.method.clone(), call.url.clone())
            .header(AUTHORIZATION, auth.authorization)
            .header(ACCEPT, "application/json");
        if let Some(proof) = auth.dpop {
            req = req.header("DPoP", proof);
        }
        req = match call.body {
            Some(body) => req.json(body),
            None if call.method == Method::POST || call.method == Method::PUT => {
                req.header(CONTENT_LENGTH, "0").body(Vec::<u8>::new())
            }
            None => req,
        };
        if let Some(id) = retry_for {
            req = req
                .header("X-Okta-Retry-For", id)
                .header("X-Okta-Retry-Count", (attempt - 1).to_string());
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                self.pacer.finish(bucket, None, false);
                self.counters.record(call.class, RequestOutcome::Transport);
                let error = Error::transport(None, e);
                tracing::debug!(class = call.class.as_str(), path = call.url.path(), error = %crate::errors::describe(&error), "no answer from Okta");
                return Err(fail(error));
            }
        };
        let status = resp.status().as_u16();
        let headers = resp.headers();
        let rate = RateHeaders::parse(headers);
        self.pacer.finish(bucket, rate, status == 429);
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry_after(v, chrono::Utc::now().timestamp()));
        self.counters
            .record(call.class, RequestOutcome::of_status(status));
        let request_id = headers
            .get("x-okta-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let www_authenticate = headers
            .get(WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let next = next_link(headers.get_all(LINK).iter().filter_map(|v| v.to_str().ok()));
        tracing::debug!(class = call.class.as_str(), method = %call.method, path = call.url.path(), status, request_id = request_id.as_deref().unwrap_or(""), "Okta answered");
        let body = resp.bytes().await.map_err(|e| Failed {
            error: Error::transport(None, e),
            status: None,
            request_id: request_id.clone(),
            sent_at,
            rate_headers: false,
            retry_after: None,
        })?;
        if (200..300).contains(&status) {
            return Ok(Reply {
                body,
                next,
                request_id,
            });
        }
        Err(Failed {
            error: from_response(
                status,
                www_authenticate.as_deref(),
                request_id.clone(),
                &body,
                call.operation,
            ),
            status: Some(status),
            request_id,
            sent_at,
            rate_headers: rate.is_some(),
            retry_after,
        })
    }

    /// The error for a retry the run's retry budget has no room for.
    pub(super) fn budget_spent(&self, call: &Call<'_>) -> Error {
        let error = Error::RetryBudgetSpent {
            endpoint: format!("{} {}", call.method, call.url.path()),
            spent_secs: self.retry_budget.spent().as_secs(),
            budget_secs: self.retry_budget.limit().as_secs(),
        };
        tracing::warn!(class = call.class.as_str(), %error, "retry budget of the run spent");
        error
    }

    /// The error for a wait longer than `max_retry_wait`, naming the bucket, the endpoint and
    /// when the wait would end (UTC).
    pub(super) fn too_long(
        &self,
        call: &Call<'_>,
        wait: Duration,
        reset_epoch: Option<i64>,
    ) -> Error {
        let reset = reset_epoch
            .and_then(|e| chrono::DateTime::from_timestamp(e, 0))
            .or_else(|| {
                chrono::Utc::now().checked_add_signed(chrono::TimeDelta::from_std(wait).ok()?)
            });
        let reset_utc = reset.map_or_else(
            || "an unknown time".to_owned(),
            |r| r.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        );
        let error = Error::RetryWaitTooLong {
            bucket: Bucket::of(call.class).describe().to_owned(),
            endpoint: format!("{} {}", call.method, call.url.path()),
            reset_utc,
            wait_secs: wait.as_secs(),
            max_wait_secs: self.max_retry_wait.as_secs(),
        };
        tracing::warn!(class = call.class.as_str(), %error, "not waiting for the rate limit");
        error
    }

    /// The write gate's answer for `call` (reads always pass).
    fn gate(&self, call: &Call<'_>) -> Result<(), Error> {
        if call.method == Method::GET {
            return Ok(());
        }
        let gate = self
            .write_gate
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match gate.as_ref().map(|g| g.may_write()) {
            Some(Err(why)) => Err(Error::Fenced(why)),
            _ => Ok(()),
        }
    }
}
