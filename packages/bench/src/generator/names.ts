/**
 * Vietnamese names for synthetic citizens. Family-name weights are the commonly cited national shares
 * (Nguyễn ≈ 38 %, Trần ≈ 11 %, Lê ≈ 9.5 % …), approximate; given names are Zipf-weighted by list order.
 */
export const familyNames = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Phan',
  'Vũ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
  'Đào',
  'Đinh',
  'Trịnh',
  'Lương',
];
export const familyWeights = [38.4, 11.1, 9.5, 7.1, 5.1, 4.5, 3.9, 2.1, 2.0, 1.4, 1.3, 1.3, 1.0, 0.5, 0.5, 0.5, 0.5, 0.4];

export const middleFemale = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Phương', 'Kim', 'Hồng'];
export const middleMale = ['Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Thành', 'Công', 'Xuân'];
export const givenFemale = ['Lan', 'Hương', 'Hoa', 'Mai', 'Linh', 'Trang', 'Thảo', 'Hà', 'Nga', 'Huyền', 'Yến', 'Nhung', 'Hạnh', 'Dung', 'Thủy', 'Phương'];
export const givenMale = ['Hùng', 'Dũng', 'Tuấn', 'Minh', 'Nam', 'Hải', 'Long', 'Sơn', 'Thắng', 'Quân', 'Cường', 'Hiếu', 'Tùng', 'Đức', 'Bình', 'Phong'];
