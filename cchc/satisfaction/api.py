from ninja import Router

router = Router(tags=["Đánh giá sự hài lòng"])
