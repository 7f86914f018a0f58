"""Operations: health, readiness, the OpenAPI document."""
